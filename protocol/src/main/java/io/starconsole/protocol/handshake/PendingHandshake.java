package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.crypto.X25519;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageCodec;
import io.starconsole.protocol.session.Session;
import io.starconsole.protocol.session.Timers;
import java.net.InetSocketAddress;

/**
 * A consumed, authenticated initiation waiting for the edge's answer: the box's static key and its
 * HELLO or RECONNECT are known; {@link #respond} completes the handshake with OK, OK_NEWIP or NOK.
 * Expires {@code Timers.PENDING_HANDSHAKE_TIMEOUT_NANOS} after it was created. Single use.
 */
public final class PendingHandshake implements InitiationResult {

    private final Responder responder;
    private final SymmetricState state;
    private final byte[] remoteEphemeral;
    private final Key boxPublicKey;
    private final int remoteIndex;
    private final Message request;
    private final InetSocketAddress source;
    private final long createdAtNanos;
    private boolean done;

    PendingHandshake(Responder responder, SymmetricState state, byte[] remoteEphemeral, Key boxPublicKey, int remoteIndex,
            Message request, InetSocketAddress source) {
        this.responder = responder;
        this.state = state;
        this.remoteEphemeral = remoteEphemeral;
        this.boxPublicKey = boxPublicKey;
        this.remoteIndex = remoteIndex;
        this.request = request;
        this.source = source;
        this.createdAtNanos = responder.nanoClock.getAsLong();
    }

    /** The box's authenticated static public key (its WireGuard key). */
    public Key boxPublicKey() {
        return boxPublicKey;
    }

    /** The box's HELLO or RECONNECT. */
    public Message request() {
        return request;
    }

    public InetSocketAddress source() {
        return source;
    }

    /** The box's index for this handshake (the new session's remote index). */
    public int remoteIndex() {
        return remoteIndex;
    }

    /** Completes the handshake with a random local index; prefer {@link #respond(Message, int)} with an index unused in the session table. */
    public HandshakeResponse respond(Message answer) throws ProtocolException {
        return respond(answer, responder.random.nextInt());
    }

    /**
     * Completes the handshake with {@code answer} (OK, OK_NEWIP or NOK) and {@code localIndex}, the
     * index the box will address the session by.
     *
     * @throws ProtocolException EXPIRED if the admission took longer than the pending timeout
     */
    public HandshakeResponse respond(Message answer, int localIndex) throws ProtocolException {
        return respond(answer, localIndex, KeyPair.generate(responder.random));
    }

    /** Test seam for the known-answer vectors: fixed ephemeral key. */
    synchronized HandshakeResponse respond(Message answer, int localIndex, KeyPair ephemeral) throws ProtocolException {
        if (!HandshakeLayout.isAnswer(answer)) {
            throw new IllegalArgumentException("a response carries OK, OK_NEWIP or NOK");
        }
        if (done) {
            throw new IllegalStateException("pending handshake already answered or discarded");
        }
        if (responder.nanoClock.getAsLong() - createdAtNanos >= Timers.PENDING_HANDSHAKE_TIMEOUT_NANOS) {
            discard();
            throw new ProtocolException(ProtocolException.Reason.EXPIRED, "pending handshake expired");
        }
        byte[] ephemeralPublic = ephemeral.publicKey().getBytes();
        state.mixHash(ephemeralPublic);                                                  // e
        state.mixKey(X25519.sharedSecret(ephemeral.privateKey(), remoteEphemeral));       // ee
        state.mixKey(X25519.sharedSecret(ephemeral.privateKey(), boxPublicKey.getBytes())); // se
        byte[] encryptedPayload = state.encryptAndHash(MessageCodec.encode(answer));     // payload
        byte[] datagram = new byte[HandshakeLayout.RESPONSE_PAYLOAD + encryptedPayload.length + 2 * Macs.SIZE];
        Packet.writeHeader(datagram, state.version, PacketKind.HANDSHAKE_RESPONSE);
        Packet.writeInt(datagram, HandshakeLayout.SENDER_INDEX, localIndex);
        Packet.writeInt(datagram, HandshakeLayout.RESPONSE_RECEIVER_INDEX, remoteIndex);
        System.arraycopy(ephemeralPublic, 0, datagram, HandshakeLayout.RESPONSE_EPHEMERAL, 32);
        System.arraycopy(encryptedPayload, 0, datagram, HandshakeLayout.RESPONSE_PAYLOAD, encryptedPayload.length);
        Macs.stamp(datagram, Macs.mac1Key(boxPublicKey), null);
        byte[][] keys = state.split();
        discard();
        ephemeral.destroy();
        Session session = new Session(localIndex, remoteIndex, boxPublicKey, keys[1], keys[0], false, responder.nanoClock, state.version);
        return new HandshakeResponse(datagram, session);
    }

    /** Drops the handshake without answering; zeroes its state. */
    public synchronized void discard() {
        done = true;
        state.destroy();
        java.util.Arrays.fill(remoteEphemeral, (byte) 0);
    }

    @Override
    public String toString() {
        return "PendingHandshake[box=" + boxPublicKey.toBase64() + ", request=" + request.type() + "]";
    }
}
