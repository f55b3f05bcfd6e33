package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.crypto.X25519;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageCodec;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The edge's side of the Noise IK handshake. {@link #consumeInitiation} checks, in order of cost:
 * framing, mac1, (under load) mac2 or a cookie reply, the per-source rate, then the Noise
 * message and the timestamp. It yields the box's authenticated key and HELLO/RECONNECT in a
 * {@link PendingHandshake}, which the edge answers once admission has decided.
 */
public final class Responder {

    final KeyPair edgeKeys;
    final SecureRandom random;
    final LongSupplier nanoClock;
    /** The state after the prologue and pre-message, one per version, by ordinal. */
    private final SymmetricState[] bases;
    private final byte[] mac1Key;
    private final BooleanSupplier underLoad;
    private final SourceRateLimiter rateLimiter;
    private final CookieGenerator cookies;
    private final TimestampRegistry timestamps = new TimestampRegistry();

    /** System clock and randomness, default rate limits; never under load. */
    public Responder(KeyPair edgeKeys) {
        this(edgeKeys, () -> false, SourceRateLimiter.withDefaults(System::nanoTime), new SecureRandom(), System::nanoTime);
    }

    /**
     * @param underLoad   asked for each initiation; true makes mac2 (a cookie) mandatory. The edge
     *                    decides, e.g. from its handshake queue depth.
     * @param rateLimiter per-source limit, applied before any X25519
     */
    public Responder(KeyPair edgeKeys, BooleanSupplier underLoad, SourceRateLimiter rateLimiter, SecureRandom random,
            LongSupplier nanoClock) {
        this.edgeKeys = edgeKeys;
        this.underLoad = underLoad;
        this.rateLimiter = rateLimiter;
        this.random = random;
        this.nanoClock = nanoClock;
        JediVersion[] versions = JediVersion.values();
        this.bases = new SymmetricState[versions.length];
        for (JediVersion version : versions) {
            bases[version.ordinal()] = SymmetricState.initialize(version, edgeKeys.publicKey());
        }
        this.mac1Key = Macs.mac1Key(edgeKeys.publicKey());
        this.cookies = new CookieGenerator(edgeKeys.publicKey(), random, nanoClock);
    }

    public Key publicKey() {
        return edgeKeys.publicKey();
    }

    /**
     * Consumes a HANDSHAKE_INITIATION from {@code source}.
     *
     * @return a {@link PendingHandshake} (authenticated box key and request) or a {@link CookieReply}
     * @throws ProtocolException BAD_LENGTH/UNSUPPORTED_VERSION/... for framing, BAD_MAC1,
     *     RATE_LIMITED, AUTHENTICATION_FAILED, UNEXPECTED_MESSAGE, STALE_TIMESTAMP (a replay)
     */
    public InitiationResult consumeInitiation(byte[] datagram, InetSocketAddress source) throws ProtocolException {
        Packet.require(datagram, PacketKind.HANDSHAKE_INITIATION);
        if (!Macs.mac1Valid(datagram, mac1Key)) {
            throw new ProtocolException(ProtocolException.Reason.BAD_MAC1, "bad mac1");
        }
        if (underLoad.getAsBoolean() && !cookies.mac2Valid(datagram, source)) {
            return new CookieReply(cookies.cookieReply(datagram, source));
        }
        if (!rateLimiter.tryAcquire(source.getAddress())) {
            throw new ProtocolException(ProtocolException.Reason.RATE_LIMITED, "too many initiations from source");
        }
        SymmetricState state = bases[Packet.versionOf(datagram).ordinal()].copy();
        byte[] remoteEphemeral = Arrays.copyOfRange(datagram, HandshakeLayout.INITIATION_EPHEMERAL, HandshakeLayout.INITIATION_STATIC);
        state.mixHash(remoteEphemeral);                                                                  // e
        state.mixKey(X25519.sharedSecret(edgeKeys.privateKey(), remoteEphemeral));                       // es
        byte[] boxStatic = state.decryptAndHash(Arrays.copyOfRange(datagram, HandshakeLayout.INITIATION_STATIC,
                HandshakeLayout.INITIATION_PAYLOAD));                                                    // s
        state.mixKey(X25519.sharedSecret(edgeKeys.privateKey(), boxStatic));                             // ss
        byte[] payload = state.decryptAndHash(Arrays.copyOfRange(datagram, HandshakeLayout.INITIATION_PAYLOAD,
                datagram.length - 2 * Macs.SIZE));                                                      // payload
        ByteReader reader = ByteReader.of(payload);
        byte[] timestamp = reader.bytes(Tai64n.SIZE_IN_BYTES);
        Message request = MessageCodec.decode(reader);
        HandshakeLayout.requireRequest(request);
        Key boxKey = Key.copyOf(boxStatic);
        if (!timestamps.acceptIfNewer(boxKey, timestamp)) {
            state.destroy();
            throw new ProtocolException(ProtocolException.Reason.STALE_TIMESTAMP, "initiation not newer than the last");
        }
        int remoteIndex = Packet.readInt(datagram, HandshakeLayout.SENDER_INDEX);
        return new PendingHandshake(this, state, remoteEphemeral, boxKey, remoteIndex, request, source);
    }
}
