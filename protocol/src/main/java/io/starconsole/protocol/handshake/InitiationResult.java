package io.starconsole.protocol.handshake;

/**
 * What {@link Responder#consumeInitiation} makes of a valid-looking initiation: a
 * {@link PendingHandshake} to answer, or a {@link CookieReply} to send back because the edge is
 * under load. Rejections are thrown as ProtocolException.
 */
public sealed interface InitiationResult permits PendingHandshake, CookieReply {
}
