package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.crypto.X25519;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageCodec;
import io.starconsole.protocol.session.Timers;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The box's side of the Noise IK handshake with one edge, whose static public key the box is
 * configured with. {@link #initiate} builds a HANDSHAKE_INITIATION carrying HELLO or RECONNECT;
 * the returned {@link InitiationAttempt} consumes the edge's response or cookie reply.
 */
public final class Initiator {

    private final KeyPair boxKeys;
    private final Key edgePublicKey;
    private final Clock wallClock;
    final LongSupplier nanoClock;
    private final SecureRandom random;
    private final SymmetricState base;
    private final byte[] staticStatic;
    private final byte[] edgeMac1Key;
    final byte[] ownMac1Key;
    final byte[] cookieKey;
    private byte[] lastTimestamp = new byte[Tai64n.SIZE_IN_BYTES];
    private byte[] cookie;
    private long cookieReceivedNanos;

    /** Speaking {@link JediVersion#CURRENT}. */
    public Initiator(KeyPair boxKeys, Key edgePublicKey) {
        this(boxKeys, edgePublicKey, JediVersion.CURRENT);
    }

    public Initiator(KeyPair boxKeys, Key edgePublicKey, JediVersion version) {
        this(boxKeys, edgePublicKey, Clock.systemUTC(), System::nanoTime, new SecureRandom(), version);
    }

    /** Speaking {@link JediVersion#CURRENT}. */
    public Initiator(KeyPair boxKeys, Key edgePublicKey, Clock wallClock, LongSupplier nanoClock, SecureRandom random) {
        this(boxKeys, edgePublicKey, wallClock, nanoClock, random, JediVersion.CURRENT);
    }

    /**
     * @throws IllegalArgumentException if {@code edgePublicKey} is a degenerate X25519 point
     */
    public Initiator(KeyPair boxKeys, Key edgePublicKey, Clock wallClock, LongSupplier nanoClock, SecureRandom random,
            JediVersion version) {
        this.boxKeys = boxKeys;
        this.edgePublicKey = edgePublicKey;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.random = random;
        this.base = SymmetricState.initialize(version, edgePublicKey);
        try {
            this.staticStatic = X25519.sharedSecret(boxKeys.privateKey(), edgePublicKey.getBytes());
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("edge public key is not usable");
        }
        this.edgeMac1Key = Macs.mac1Key(edgePublicKey);
        this.ownMac1Key = Macs.mac1Key(boxKeys.publicKey());
        this.cookieKey = Macs.cookieKey(edgePublicKey);
    }

    /** Builds an initiation carrying {@code request} (HELLO or RECONNECT) with a fresh ephemeral key and index. */
    public InitiationAttempt initiate(Message request) {
        return initiate(request, random.nextInt(), KeyPair.generate(random), nextTimestamp());
    }

    /** Test seam for the known-answer vectors: fixed index, ephemeral key and timestamp. */
    InitiationAttempt initiate(Message request, int localIndex, KeyPair ephemeral, byte[] timestamp) {
        if (!HandshakeLayout.isRequest(request)) {
            throw new IllegalArgumentException("an initiation carries HELLO or RECONNECT");
        }
        byte[] encoded = MessageCodec.encode(request);
        byte[] payload = new byte[Tai64n.SIZE_IN_BYTES + encoded.length];
        System.arraycopy(timestamp, 0, payload, 0, Tai64n.SIZE_IN_BYTES);
        System.arraycopy(encoded, 0, payload, Tai64n.SIZE_IN_BYTES, encoded.length);

        SymmetricState state = base.copy();
        byte[] ephemeralPublic = ephemeral.publicKey().getBytes();
        state.mixHash(ephemeralPublic);                                          // e
        try {
            state.mixKey(X25519.sharedSecret(ephemeral.privateKey(), edgePublicKey.getBytes())); // es
        } catch (ProtocolException e) {
            throw new IllegalStateException("edge public key is not usable");
        }
        byte[] encryptedStatic = state.encryptAndHash(boxKeys.publicKey().getBytes()); // s
        state.mixKey(staticStatic.clone());                                      // ss
        byte[] encryptedPayload = state.encryptAndHash(payload);                 // payload

        byte[] datagram = new byte[HandshakeLayout.INITIATION_PAYLOAD + encryptedPayload.length + 2 * Macs.SIZE];
        if (datagram.length > Packet.MAX_DATAGRAM_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("request does not fit one initiation");
        }
        Packet.writeHeader(datagram, base.version, PacketKind.HANDSHAKE_INITIATION);
        Packet.writeInt(datagram, HandshakeLayout.SENDER_INDEX, localIndex);
        System.arraycopy(ephemeralPublic, 0, datagram, HandshakeLayout.INITIATION_EPHEMERAL, 32);
        System.arraycopy(encryptedStatic, 0, datagram, HandshakeLayout.INITIATION_STATIC, encryptedStatic.length);
        System.arraycopy(encryptedPayload, 0, datagram, HandshakeLayout.INITIATION_PAYLOAD, encryptedPayload.length);
        Macs.stamp(datagram, edgeMac1Key, currentCookie());
        return new InitiationAttempt(this, state, ephemeral, localIndex, datagram);
    }

    Key boxStaticKey() {
        return boxKeys.privateKey();
    }

    public JediVersion version() {
        return base.version;
    }

    public Key edgePublicKey() {
        return edgePublicKey;
    }

    synchronized void storeCookie(byte[] freshCookie) {
        if (cookie != null) {
            Arrays.fill(cookie, (byte) 0);
        }
        cookie = freshCookie;
        cookieReceivedNanos = nanoClock.getAsLong();
    }

    private synchronized byte[] currentCookie() {
        if (cookie != null && nanoClock.getAsLong() - cookieReceivedNanos < Timers.COOKIE_SECRET_LIFETIME_NANOS) {
            return cookie;
        }
        return null;
    }

    /** TAI64N of now, strictly greater than the previous one even if the clock stands still or steps back. */
    private synchronized byte[] nextTimestamp() {
        byte[] now = Tai64n.of(wallClock.instant());
        if (!Tai64n.isAfter(now, lastTimestamp)) {
            now = lastTimestamp.clone();
            for (int i = now.length - 1; i >= 0 && ++now[i] == 0; i--) {
                // carry
            }
        }
        lastTimestamp = now;
        return now.clone();
    }

    /** Zeroes the precomputed static-static secret (the box's private key belongs to the caller). */
    public void destroy() {
        Arrays.fill(staticStatic, (byte) 0);
        base.destroy();
    }
}
