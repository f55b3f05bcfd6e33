package io.starconsole.functions.box;

import io.starconsole.functions.error.ApiException;

/** Checks of what the edge itself vouches for (key from the handshake, its id, the address it saw). */
public final class EdgeInput {

    private EdgeInput() {
    }

    public static void requireKey(String publicKey) {
        String problem = BoxFields.publicKeyProblem(publicKey);
        if (problem != null) {
            throw ApiException.badField("publicKey", problem);
        }
    }

    public static void requireEdgeId(String edgeId) {
        if (edgeId == null || edgeId.isBlank()) {
            throw ApiException.badField("edgeId", "edgeId is required");
        }
        String problem = BoxFields.textProblem("edgeId", edgeId, BoxFields.MAX_NAME_LENGTH);
        if (problem != null) {
            throw ApiException.badField("edgeId", problem);
        }
    }

    public static void requireRealAddress(String realIp, Integer realPort) {
        if (!BoxFields.isRealAddress(realIp)) {
            throw ApiException.badField("realIp", "realIp must be an IPv4 or IPv6 address");
        }
        if (realPort == null || BoxFields.portProblem("realPort", realPort) != null) {
            throw ApiException.badField("realPort", "realPort must be between 0 and 65535");
        }
    }
}
