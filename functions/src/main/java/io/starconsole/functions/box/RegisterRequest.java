package io.starconsole.functions.box;

/**
 * A HELLO relayed by an edge ({@code POST /internal/v1/register}): who the box is (its X25519 public
 * key, proven by the handshake), where the edge saw it, and what it says about itself.
 */
public record RegisterRequest(String publicKey, String edgeId, String realIp, Integer realPort, boolean reconnect,
                              Hello hello) {

    /** What the box sends in HELLO. {@code requestedSpnIp} null or "0.0.0.0" asks for any address. */
    public record Hello(String groupName, String idString, String macAddress, String requestedSpnIp,
                        Integer requestedMask, Integer listenPort, Integer endpointPort, String allowedIps,
                        String firmwareVersion, String enrolmentToken) {
    }
}
