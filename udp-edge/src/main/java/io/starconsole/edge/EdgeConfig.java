package io.starconsole.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code star-console.edge.*}: where the edge listens. */
@ConfigMapping(prefix = "star-console.edge")
public interface EdgeConfig {

    Udp udp();

    interface Udp {
        /** The boxes' port (the seed's 31902); 0 picks a free one (tests). */
        @WithDefault("31902")
        int port();

        @WithDefault("0.0.0.0")
        String host();

        /** Socket receive buffer: large enough to ride out bursts of keepalives. */
        @WithDefault("4194304")
        int receiveBufferBytes();
    }
}
