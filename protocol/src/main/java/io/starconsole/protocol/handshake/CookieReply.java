package io.starconsole.protocol.handshake;

/** The edge is under load and the initiation had no valid mac2: send {@code datagram} back to the source. */
public record CookieReply(byte[] datagram) implements InitiationResult {
}
