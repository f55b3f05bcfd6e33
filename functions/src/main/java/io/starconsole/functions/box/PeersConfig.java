package io.starconsole.functions.box;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code star-console.peers.*}: how ANS_SPN_INFO is paged. */
@ConfigMapping(prefix = "star-console.peers")
public interface PeersConfig {

    /** Peers per page: 8 fit in one 1200-byte datagram. */
    @WithDefault("8")
    int pageSize();
}
