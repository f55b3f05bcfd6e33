package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.MacAddress;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.session.Session;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The library's own paths: PING seal + open on a Session, and the handshake's CPU per side. */
@State(Scope.Thread)
public class ChannelBenchmark {

    private static final Message OK = new Ok(MessageType.HELLO);

    private final SecureRandom random = new SecureRandom();
    private final KeyPair edgeKeys = KeyPair.generate(random);
    private final KeyPair boxKeys = KeyPair.generate(random);
    private final Responder responder = new Responder(edgeKeys, () -> false,
            new SourceRateLimiter(1e12, Integer.MAX_VALUE, 10, System::nanoTime), random, System::nanoTime);
    private final Initiator initiator = new Initiator(boxKeys, edgeKeys.publicKey(), Clock.systemUTC(), System::nanoTime, random);
    private final InetSocketAddress source;
    private final Hello hello;
    private final Ping ping = new Ping(1);
    private Session boxSession;
    private Session edgeSession;

    public ChannelBenchmark() {
        try {
            Inet4Address any = (Inet4Address) InetAddress.getByAddress(new byte[4]);
            source = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 40000);
            hello = new Hello(new BoxInfo("lab", "box-1@example.org", MacAddress.parse("02:00:00:00:00:01"), any, 24,
                    51820, 51820, "10.1.2.0/24", "2.0.0", ""));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Setup(Level.Trial)
    public void establish() throws ProtocolException {
        InitiationAttempt first = initiator.initiate(hello);
        HandshakeResponse answered = ((PendingHandshake) responder.consumeInitiation(first.datagram(), source)).respond(OK);
        boxSession = first.consumeResponse(answered.datagram()).session();
        edgeSession = answered.session();
    }

    /** Fresh handshake inputs for every invocation (made outside the measured time). */
    @State(Scope.Thread)
    public static class Fresh {
        final ChannelBenchmark peers = new ChannelBenchmark();
        byte[] initiation;
        InitiationAttempt attempt;
        byte[] response;

        @Setup(Level.Invocation)
        public void prepare() throws ProtocolException {
            attempt = peers.initiator.initiate(peers.hello);
            response = ((PendingHandshake) peers.responder.consumeInitiation(attempt.datagram(), peers.source))
                    .respond(OK).datagram();
            initiation = peers.initiator.initiate(peers.hello).datagram(); // newer timestamp than attempt's

        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Message pingSealAndOpen() throws ProtocolException {
        return edgeSession.open(boxSession.seal(ping));
    }

    /** Edge: consume an initiation (mac1, 2 DH, 2 AEAD) and respond (keygen, 2 DH, 1 AEAD, split). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public HandshakeResponse responderConsumeAndRespond(Fresh fresh) throws ProtocolException {
        return ((PendingHandshake) fresh.peers.responder.consumeInitiation(fresh.initiation, fresh.peers.source)).respond(OK);
    }

    /** Box, first half: keygen, 1 DH (the static-static one is precomputed), 2 AEAD. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public InitiationAttempt initiatorInitiate(Fresh fresh) {
        return fresh.peers.initiator.initiate(fresh.peers.hello);
    }

    /** Box, second half: 2 DH, 1 AEAD, split. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Established initiatorConsumeResponse(Fresh fresh) throws ProtocolException {
        return fresh.attempt.consumeResponse(fresh.response);
    }
}
