package io.starconsole.edge.relay;

import io.starconsole.edge.EdgeConfig;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.util.HexFormat;

/** This edge's name in the registry: configured, or random for the life of the process. */
@Singleton
public class EdgeIdentity {

    private final String id;

    public EdgeIdentity(EdgeConfig config) {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.id = config.id().orElse("edge-" + HexFormat.of().formatHex(random));
    }

    public String id() {
        return id;
    }
}
