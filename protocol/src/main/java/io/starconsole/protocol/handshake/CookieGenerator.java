package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.crypto.Hashing;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.session.Timers;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The edge's cookies: cookie = HMAC-SHA256(secret, address || port)[0..16], with a random secret
 * replaced every 120 s (the previous one is still accepted). Only the holder of the source address
 * can read the cookie reply, so a spoofed source cannot produce a valid mac2.
 */
public final class CookieGenerator {

    private final byte[] cookieKey;
    private final SecureRandom random;
    private final LongSupplier nanoClock;
    private byte[] secret;
    private byte[] previousSecret;
    private long secretCreatedNanos;

    public CookieGenerator(Key edgeStaticPublicKey, SecureRandom random, LongSupplier nanoClock) {
        this.cookieKey = Macs.cookieKey(edgeStaticPublicKey);
        this.random = random;
        this.nanoClock = nanoClock;
        this.secret = newSecret();
        this.previousSecret = newSecret();
        this.secretCreatedNanos = nanoClock.getAsLong();
    }

    /** Whether the initiation's mac2 was made with a current cookie for {@code source}. */
    public boolean mac2Valid(byte[] initiation, InetSocketAddress source) {
        byte[][] secrets = secrets();
        return Macs.mac2Valid(initiation, cookie(secrets[0], source)) || Macs.mac2Valid(initiation, cookie(secrets[1], source));
    }

    /** A COOKIE_REPLY datagram answering {@code initiation} from {@code source}, in the initiation's version. */
    public byte[] cookieReply(byte[] initiation, InetSocketAddress source) {
        JediVersion version = Packet.versionOf(initiation);
        byte[] reply = new byte[Packet.COOKIE_REPLY_SIZE_IN_BYTES];
        Packet.writeHeader(reply, version, PacketKind.COOKIE_REPLY);
        System.arraycopy(initiation, 4, reply, 4, 4); // receiver index = the initiation's sender index
        byte[] nonce = new byte[JediVersion.NONCE_SIZE_IN_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, reply, 8, nonce.length);
        byte[] sealed = version.seal(cookieKey, nonce, Macs.mac1Of(initiation), cookie(secrets()[0], source));
        System.arraycopy(sealed, 0, reply, 20, sealed.length);
        return reply;
    }

    static byte[] cookie(byte[] secret, InetSocketAddress source) {
        byte[] address = source.getAddress().getAddress();
        byte[] port = {(byte) (source.getPort() >>> 8), (byte) source.getPort()};
        return Arrays.copyOf(Hashing.hmac(secret, address, port), Macs.SIZE);
    }

    private synchronized byte[][] secrets() {
        long now = nanoClock.getAsLong();
        if (now - secretCreatedNanos >= Timers.COOKIE_SECRET_LIFETIME_NANOS) {
            Arrays.fill(previousSecret, (byte) 0);
            previousSecret = secret;
            secret = newSecret();
            secretCreatedNanos = now;
        }
        return new byte[][] {secret, previousSecret};
    }

    private byte[] newSecret() {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        return fresh;
    }
}
