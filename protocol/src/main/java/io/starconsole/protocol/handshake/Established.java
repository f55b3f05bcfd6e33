package io.starconsole.protocol.handshake;

import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.session.Session;

/**
 * The box's side of a completed handshake: the transport session and the edge's answer (OK,
 * OK_NEWIP or NOK). After NOK the box should destroy the session.
 */
public record Established(Session session, Message answer) {
}
