package io.starconsole.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.codec.ProtocolException.Reason;
import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.MacAddress;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandshakeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetSocketAddress SOURCE = new InetSocketAddress(address(192, 0, 2, 7), 40000);

    private final AtomicLong nanos = new AtomicLong(5_000);
    private final AtomicBoolean underLoad = new AtomicBoolean(false);
    private final KeyPair edgeKeys = KeyPair.generate(RANDOM);
    private final KeyPair boxKeys = KeyPair.generate(RANDOM);
    private final Responder responder = new Responder(edgeKeys, underLoad::get,
            new SourceRateLimiter(50, 100, 1000, nanos::get), RANDOM, nanos::get);
    private final Initiator initiator = new Initiator(boxKeys, edgeKeys.publicKey(), Clock.systemUTC(), nanos::get, RANDOM);

    static Hello hello() {
        return new Hello(new BoxInfo("lab", "box-1@example.org", MacAddress.parse("02:00:00:00:00:01"),
                address(0, 0, 0, 0), 24, 51820, 51820, "10.1.2.0/24", "2.0.0", ""));
    }

    static Inet4Address address(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertRejected(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void fullHandshake_helloThenOkNewIp_bothSidesShareASession() throws ProtocolException {
        InitiationAttempt attempt = initiator.initiate(hello());

        PendingHandshake pending = (PendingHandshake) responder.consumeInitiation(attempt.datagram(), SOURCE);
        assertThat(pending.boxPublicKey()).isEqualTo(boxKeys.publicKey());
        assertThat(pending.request()).isEqualTo(hello());
        HandshakeResponse response = pending.respond(new OkNewIp(address(10, 1, 2, 3), 24), 77);
        Established established = attempt.consumeResponse(response.datagram());

        assertThat(established.answer()).isEqualTo(new OkNewIp(address(10, 1, 2, 3), 24));
        assertThat(established.session().remoteIndex()).isEqualTo(77);
        assertThat(response.session().remoteIndex()).isEqualTo(attempt.localIndex());
        assertThat(response.datagram().length).isLessThanOrEqualTo(1200);
        assertThat(attempt.datagram().length).isLessThanOrEqualTo(1200);
        assertThat(response.session().open(established.session().seal(new Ping(1)))).isEqualTo(new Ping(1));
        Pong pong = new Pong(1, Pong.COMMANDS_PENDING, 42);
        assertThat(established.session().open(response.session().seal(pong))).isEqualTo(pong);
    }

    @ParameterizedTest
    @EnumSource(JediVersion.class)
    void fullHandshake_eachVersion_cookieReplyResponseAndSessionsSpeakIt(JediVersion version) throws ProtocolException {
        Initiator box = new Initiator(boxKeys, edgeKeys.publicKey(), Clock.systemUTC(), nanos::get, RANDOM, version);
        underLoad.set(true);
        InitiationAttempt first = box.initiate(hello());
        byte[] cookieReply = ((CookieReply) responder.consumeInitiation(first.datagram(), SOURCE)).datagram();
        first.consumeCookieReply(cookieReply);
        InitiationAttempt attempt = box.initiate(hello());

        PendingHandshake pending = (PendingHandshake) responder.consumeInitiation(attempt.datagram(), SOURCE);
        HandshakeResponse response = pending.respond(new OkNewIp(address(10, 1, 2, 3), 24), 77);
        Established established = attempt.consumeResponse(response.datagram());

        assertThat(Packet.versionOf(cookieReply)).isEqualTo(version);
        assertThat(Packet.versionOf(attempt.datagram())).isEqualTo(version);
        assertThat(Packet.versionOf(response.datagram())).isEqualTo(version);
        assertThat(response.session().version()).isEqualTo(version);
        assertThat(established.session().version()).isEqualTo(version);
        byte[] ping = established.session().seal(new Ping(1));
        assertThat(Packet.versionOf(ping)).isEqualTo(version);
        assertThat(response.session().open(ping)).isEqualTo(new Ping(1));
    }

    @Test
    void consumeInitiation_versionByteChangedInFlight_isRejectedByMac1() {
        byte[] datagram = initiator.initiate(hello()).datagram();
        datagram[0] = (byte) JediVersion.JEDI_2.wireByte();

        assertRejected(() -> responder.consumeInitiation(datagram, SOURCE), Reason.BAD_MAC1);
    }

    @Test
    void consumeResponse_inAnotherVersionThanTheInitiation_isRejected() throws ProtocolException {
        InitiationAttempt attempt = initiator.initiate(hello());
        PendingHandshake pending = (PendingHandshake) responder.consumeInitiation(attempt.datagram(), SOURCE);
        byte[] response = pending.respond(new OkNewIp(address(10, 1, 2, 3), 24), 77).datagram();
        response[0] = (byte) JediVersion.JEDI_2.wireByte();

        assertThat(initiator.version()).isEqualTo(JediVersion.JEDI_3);
        assertRejected(() -> attempt.consumeResponse(response), Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void consumeInitiation_replayedInitiation_isRejectedAsStaleTimestamp() throws ProtocolException {
        byte[] initiation = initiator.initiate(hello()).datagram();
        responder.consumeInitiation(initiation, SOURCE);

        assertRejected(() -> responder.consumeInitiation(initiation, SOURCE), Reason.STALE_TIMESTAMP);
    }

    @Test
    void consumeInitiation_helloFromBoxThatDoesNotHoldItsKey_failsAuthentication() throws ProtocolException {
        // The attacker knows the box's public key but not its private key: it signs with its own
        // key and claims the box's static key in place of its own.
        KeyPair attacker = KeyPair.generate(RANDOM);
        Initiator forger = new Initiator(attacker, edgeKeys.publicKey(), Clock.systemUTC(), nanos::get, RANDOM);
        byte[] forged = forger.initiate(hello()).datagram();
        InitiationAttempt genuine = initiator.initiate(hello());
        byte[] spliced = genuine.datagram();
        System.arraycopy(forged, 8, spliced, 8, 32); // attacker's ephemeral with the box's encrypted static
        Macs.stamp(spliced, Macs.mac1Key(edgeKeys.publicKey()), null);

        assertRejected(() -> responder.consumeInitiation(spliced, SOURCE), Reason.AUTHENTICATION_FAILED);
        PendingHandshake accepted = (PendingHandshake) responder.consumeInitiation(forged, SOURCE);
        assertThat(accepted.boxPublicKey()).isEqualTo(attacker.publicKey()).isNotEqualTo(boxKeys.publicKey());
    }

    @Test
    void consumeInitiation_forAnotherEdgeKey_isRejectedByMac1() {
        Initiator wrongEdge = new Initiator(boxKeys, KeyPair.generate(RANDOM).publicKey(), Clock.systemUTC(), nanos::get, RANDOM);

        assertRejected(() -> responder.consumeInitiation(wrongEdge.initiate(hello()).datagram(), SOURCE), Reason.BAD_MAC1);
    }

    @Test
    void consumeInitiation_everySingleBitFlipped_isRejected() {
        byte[] initiation = initiator.initiate(hello()).datagram();

        for (int bit = 0; bit < initiation.length * 8; bit += 3) {
            byte[] flipped = initiation.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            if (bit / 8 >= initiation.length - Macs.SIZE) {
                continue; // mac2 is not checked when the edge is not under load
            }
            assertThatThrownBy(() -> responder.consumeInitiation(flipped, SOURCE)).as("bit %d", bit)
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void underLoad_initiationWithoutCookie_getsCookieReply_thenRetryWithMac2IsAccepted() throws ProtocolException {
        underLoad.set(true);
        InitiationAttempt first = initiator.initiate(hello());

        InitiationResult result = responder.consumeInitiation(first.datagram(), SOURCE);
        assertThat(result).isInstanceOf(CookieReply.class);
        first.consumeCookieReply(((CookieReply) result).datagram());
        InitiationAttempt second = initiator.initiate(hello());

        assertThat(responder.consumeInitiation(second.datagram(), SOURCE)).isInstanceOf(PendingHandshake.class);
        InetSocketAddress otherSource = new InetSocketAddress(address(198, 51, 100, 1), 40000);
        assertThat(responder.consumeInitiation(initiator.initiate(hello()).datagram(), otherSource))
                .isInstanceOf(CookieReply.class);
    }

    @Test
    void cookieReply_tamperedOrForAnotherAttempt_isRejected() throws ProtocolException {
        underLoad.set(true);
        InitiationAttempt attempt = initiator.initiate(hello());
        byte[] reply = ((CookieReply) responder.consumeInitiation(attempt.datagram(), SOURCE)).datagram();
        byte[] tampered = reply.clone();
        tampered[30] ^= 1;

        assertRejected(() -> attempt.consumeCookieReply(tampered), Reason.AUTHENTICATION_FAILED);
        assertRejected(() -> initiator.initiate(hello()).consumeCookieReply(reply), Reason.UNKNOWN_SESSION);
    }

    @Test
    void consumeInitiation_floodFromOneSource_isRateLimited() throws ProtocolException {
        SourceRateLimiter strict = new SourceRateLimiter(1, 3, 10, nanos::get);
        Responder limited = new Responder(edgeKeys, () -> false, strict, RANDOM, nanos::get);
        for (int i = 0; i < 3; i++) {
            byte[] initiation = initiator.initiate(hello()).datagram();
            assertThat(limited.consumeInitiation(initiation, SOURCE)).as("within burst").isInstanceOf(PendingHandshake.class);
        }

        assertRejected(() -> limited.consumeInitiation(initiator.initiate(hello()).datagram(), SOURCE), Reason.RATE_LIMITED);
    }

    @Test
    void respond_afterPendingTimeout_isRejectedAsExpired() throws ProtocolException {
        PendingHandshake pending = (PendingHandshake) responder.consumeInitiation(initiator.initiate(hello()).datagram(), SOURCE);
        nanos.addAndGet(io.starconsole.protocol.session.Timers.PENDING_HANDSHAKE_TIMEOUT_NANOS);

        assertRejected(() -> pending.respond(new Nok(MessageType.HELLO, NokReason.TRY_AGAIN, "slow")), Reason.EXPIRED);
    }

    @Test
    void consumeResponse_forgedOrReplayed_isRejected() throws ProtocolException {
        InitiationAttempt attempt = initiator.initiate(hello());
        PendingHandshake pending = (PendingHandshake) responder.consumeInitiation(attempt.datagram(), SOURCE);
        byte[] response = pending.respond(new Nok(MessageType.HELLO, NokReason.PENDING_APPROVAL, "wait")).datagram();
        byte[] forged = response.clone();
        forged[50] ^= 1;
        Macs.stamp(forged, Macs.mac1Key(boxKeys.publicKey()), null);

        assertRejected(() -> attempt.consumeResponse(forged), Reason.AUTHENTICATION_FAILED);
        assertThat(attempt.consumeResponse(response).answer()).isInstanceOf(Nok.class);
        assertRejected(() -> attempt.consumeResponse(response), Reason.UNEXPECTED_MESSAGE);
    }

    @Test
    void initiate_withPing_isRefused() {
        assertThatThrownBy(() -> initiator.initiate(new Ping(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
