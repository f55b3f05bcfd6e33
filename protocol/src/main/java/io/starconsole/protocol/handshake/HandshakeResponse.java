package io.starconsole.protocol.handshake;

import io.starconsole.protocol.session.Session;

/** The edge's side of a completed handshake: the response datagram to send and the new session. */
public record HandshakeResponse(byte[] datagram, Session session) {
}
