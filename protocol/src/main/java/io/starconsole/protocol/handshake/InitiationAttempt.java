package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.crypto.X25519;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageCodec;
import io.starconsole.protocol.session.Session;
import java.util.Arrays;

/**
 * One initiation sent by the box. Consumes the edge's response (once) or a cookie reply. If
 * nothing valid arrives within {@code Timers.REKEY_TIMEOUT_NANOS}, the box makes a new attempt.
 */
public final class InitiationAttempt {

    private final Initiator initiator;
    private final SymmetricState state;
    private final KeyPair ephemeral;
    private final int localIndex;
    private final byte[] datagram;
    private boolean done;

    InitiationAttempt(Initiator initiator, SymmetricState state, KeyPair ephemeral, int localIndex, byte[] datagram) {
        this.initiator = initiator;
        this.state = state;
        this.ephemeral = ephemeral;
        this.localIndex = localIndex;
        this.datagram = datagram;
    }

    /** The HANDSHAKE_INITIATION datagram to send to the edge. */
    public byte[] datagram() {
        return datagram.clone();
    }

    public int localIndex() {
        return localIndex;
    }

    /** Checks and decrypts the edge's HANDSHAKE_RESPONSE; yields the session and the edge's answer. */
    public synchronized Established consumeResponse(byte[] response) throws ProtocolException {
        Packet.require(response, PacketKind.HANDSHAKE_RESPONSE);
        requireOwnVersion(response);
        if (!Macs.mac1Valid(response, initiator.ownMac1Key)) {
            throw new ProtocolException(ProtocolException.Reason.BAD_MAC1, "bad mac1");
        }
        if (Packet.readInt(response, HandshakeLayout.RESPONSE_RECEIVER_INDEX) != localIndex) {
            throw new ProtocolException(ProtocolException.Reason.UNKNOWN_SESSION, "response for another attempt");
        }
        if (done) {
            throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_MESSAGE, "attempt already completed");
        }
        SymmetricState trial = state.copy(); // a forged response must not spoil the attempt
        byte[] remoteEphemeral = Arrays.copyOfRange(response, HandshakeLayout.RESPONSE_EPHEMERAL, HandshakeLayout.RESPONSE_PAYLOAD);
        trial.mixHash(remoteEphemeral);                                                          // e
        trial.mixKey(X25519.sharedSecret(ephemeral.privateKey(), remoteEphemeral));              // ee
        trial.mixKey(X25519.sharedSecret(initiator.boxStaticKey(), remoteEphemeral));            // se
        byte[] payload = trial.decryptAndHash(
                Arrays.copyOfRange(response, HandshakeLayout.RESPONSE_PAYLOAD, response.length - 2 * Macs.SIZE));
        Message answer = MessageCodec.decode(payload);
        HandshakeLayout.requireAnswer(answer);
        byte[][] keys = trial.split();
        trial.destroy();
        discard();
        Session session = new Session(localIndex, Packet.readInt(response, HandshakeLayout.SENDER_INDEX),
                initiator.edgePublicKey(), keys[0], keys[1], true, initiator.nanoClock, state.version);
        return new Established(session, answer);
    }

    /**
     * Takes the cookie from the edge's COOKIE_REPLY to this attempt. The box then sends a new
     * initiation (it will carry mac2).
     */
    public synchronized void consumeCookieReply(byte[] reply) throws ProtocolException {
        Packet.require(reply, PacketKind.COOKIE_REPLY);
        requireOwnVersion(reply);
        if (Packet.readInt(reply, 4) != localIndex) {
            throw new ProtocolException(ProtocolException.Reason.UNKNOWN_SESSION, "cookie reply for another attempt");
        }
        byte[] nonce = Arrays.copyOfRange(reply, HandshakeLayout.COOKIE_REPLY_NONCE, HandshakeLayout.COOKIE_REPLY_COOKIE);
        byte[] cookie = state.version.open(initiator.cookieKey, nonce, Macs.mac1Of(datagram),
                Arrays.copyOfRange(reply, HandshakeLayout.COOKIE_REPLY_COOKIE, reply.length));
        initiator.storeCookie(cookie);
    }

    private void requireOwnVersion(byte[] datagram) throws ProtocolException {
        if (Packet.versionOf(datagram) != state.version) {
            throw new ProtocolException(ProtocolException.Reason.UNSUPPORTED_VERSION,
                    Packet.versionOf(datagram) + " answer to a " + state.version + " initiation");
        }
    }

    /** Zeroes the ephemeral key and handshake state; later responses are refused. */
    public synchronized void discard() {
        done = true;
        ephemeral.destroy();
        state.destroy();
    }
}
