package io.starconsole.edge.jedi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.starconsole.edge.relay.BatchedRelay;
import io.starconsole.edge.relay.EdgeIdentity;
import io.starconsole.edge.relay.PresenceRelay;
import io.starconsole.edge.relay.RegistrationRelay;
import io.starconsole.edge.session.EdgeSession;
import io.starconsole.edge.session.SessionTable;
import io.starconsole.edge.transport.DatagramHandler;
import io.starconsole.edge.transport.EdgeLoop;
import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.CookieReply;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.handshake.HandshakeResponse;
import io.starconsole.protocol.handshake.InitiationResult;
import io.starconsole.protocol.handshake.PendingHandshake;
import io.starconsole.protocol.handshake.Responder;
import io.starconsole.protocol.handshake.SourceRateLimiter;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Reconnect;
import io.starconsole.protocol.session.Session;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JEDI on the edge (both versions): handshakes become registrations relayed to the functions; transport
 * datagrams go to their session and then to {@link BoxRequests}. Everything that can be refused
 * cheaply (framing, mac1, rate) is refused before any X25519 or relay call. Junk is counted by
 * reason ({@link DropCounters}) and never logged above debug. Datagrams are checked and opened on
 * the thread of the socket they came in on (the responder is thread-safe, so handshakes' X25519
 * runs on every socket's thread); a handshake's session is made on the home loop.
 */
@Singleton
public class JediHandler implements DatagramHandler {

    private static final Logger LOG = Logger.getLogger(JediHandler.class);

    private final EdgeLoop loop;
    private final SessionTable sessions;
    private final RegistrationRelay registrations;
    private final BoxRequests requests;
    private final EdgeConfig config;
    private final String edgeId;
    private final DropCounters drops;
    private final Responder responder;
    private final AtomicInteger registrationsInFlight = new AtomicInteger();
    private final HandshakeLoad load;
    private final RekeysAtEdge rekeys;
    private final Counter rekeysAnsweredHere;
    private final Counter sessionsEndedByRegistry;
    /** From a handshake's datagram read to its answer sent: decided by the edge alone, or by the functions. */
    private final Timer answeredByEdge;
    /** Sessions started, by the protocol version of their handshake: how many boxes still speak JEDI/2. */
    private final Counter[] sessionsStartedByVersion;
    private final Timer answeredByFunctions;

    public JediHandler(EdgeLoop loop, SessionTable sessions, RegistrationRelay registrations, BoxRequests requests,
                       EdgeConfig config, EdgeIdentity identity, KeyPair edgeKeys, DropCounters drops,
                       MeterRegistry registry) {
        this.loop = loop;
        this.sessions = sessions;
        this.registrations = registrations;
        this.requests = requests;
        this.config = config;
        this.edgeId = identity.id();
        this.drops = drops;
        this.load = new HandshakeLoad(config.handshakes().underLoadPerSecond(),
                config.functions().maxRegistrationsInFlight() / 2, registrationsInFlight::get, System::nanoTime);
        this.responder = new Responder(edgeKeys, load::underLoad,
                new SourceRateLimiter(config.handshakes().perSourcePerSecond(),
                        (int) Math.max(1, 2 * config.handshakes().perSourcePerSecond()), 100_000, System::nanoTime), new SecureRandom(), System::nanoTime);
        this.rekeys = new RekeysAtEdge(config.registrations().rekeysAtEdgeFor());
        this.rekeysAnsweredHere = registry.counter("edge.rekeys.answered.here");
        this.sessionsEndedByRegistry = registry.counter("edge.sessions.ended.by.registry");
        this.answeredByEdge = handshakeTimer(registry, "edge");
        this.answeredByFunctions = handshakeTimer(registry, "functions");
        this.sessionsStartedByVersion = new Counter[JediVersion.values().length];
        for (JediVersion version : JediVersion.values()) {
            sessionsStartedByVersion[version.ordinal()] = Counter.builder("edge.sessions.started")
                    .description("Sessions started by a handshake, by the box's protocol version")
                    .tag("jedi", String.valueOf(version.wireByte()))
                    .register(registry);
        }
        registry.gauge("edge.sessions", sessions, SessionTable::size);
        registry.gauge("edge.registrations.in_flight", registrationsInFlight);
    }

    private static Timer handshakeTimer(MeterRegistry registry, String answeredBy) {
        return Timer.builder("edge.handshakes.answered")
                .description("From a handshake initiation read to its response sent")
                .tag("answered_by", answeredBy)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    void startSweeping(@Observes StartupEvent event) {
        long idleNanos = config.sessions().idleTimeout().toNanos();
        loop.every(config.sessions().sweepInterval().toMillis(), () -> {
            long now = System.nanoTime();
            int ended = sessions.sweep(now, now - idleNanos).size();
            if (ended > 0) {
                LOG.debugf("forgot %d silent or expired sessions", ended);
            }
        });
    }

    @Override
    public void handle(byte[] datagram, InetSocketAddress sender) {
        try {
            PacketKind kind = Packet.kindOf(datagram);
            switch (kind) {
                case HANDSHAKE_INITIATION -> initiation(datagram, sender);
                case TRANSPORT_DATA -> transport(datagram, sender);
                default -> throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_MESSAGE,
                        "boxes do not send " + kind);
            }
        } catch (ProtocolException e) {
            drops.count(e.reason());
        }
    }

    private void initiation(byte[] datagram, InetSocketAddress sender) throws ProtocolException {
        long receivedNanos = System.nanoTime();
        InitiationResult result;
        try {
            result = responder.consumeInitiation(datagram, sender);
        } catch (ProtocolException e) {
            if (e.reason() == ProtocolException.Reason.AUTHENTICATION_FAILED
                    || e.reason() == ProtocolException.Reason.STALE_TIMESTAMP) {
                load.recordCostly(); // it got as far as X25519: it cost us
            }
            throw e;
        }
        if (result instanceof CookieReply cookie) {
            loop.send(cookie.datagram(), sender); // a MAC's work: not counted as load (see HandshakeLoad)
            return;
        }
        load.recordCostly();
        PendingHandshake pending = (PendingHandshake) result;
        Message request = pending.request();
        boolean reconnect = request instanceof Reconnect;
        var info = reconnect ? ((Reconnect) request).info() : ((Hello) request).info();
        String boxKey = pending.boxPublicKey().toBase64();
        long infoDigest = RekeysAtEdge.digest(info);
        if (reconnect) {
            EdgeSession current = sessions.byBox(boxKey);
            if (rekeys.answerHere(current, sender, infoDigest, receivedNanos)) {
                rekeysAnsweredHere.increment();
                finish(pending, boxKey, sender, new Ok(MessageType.RECONNECT), current.commandsPending(),
                        new Decision(answeredByEdge, receivedNanos, current, current.admittedAtNanos(), infoDigest));
                return;
            }
        }
        if (registrationsInFlight.incrementAndGet() > config.functions().maxRegistrationsInFlight()) {
            registrationsInFlight.decrementAndGet();
            finish(pending, boxKey, sender, RelayMapping.tryAgain(request.type()), false,
                    new Decision(answeredByEdge, receivedNanos, null, 0, EdgeSession.NOT_REKEYABLE_HERE));
            return;
        }
        registrations.register(RelayMapping.register(boxKey, edgeId, sender, reconnect, info), receivedNanos)
                .whenComplete((answer, failure) -> {
                    registrationsInFlight.decrementAndGet();
                    if (failure instanceof BatchedRelay.TooOldException) {
                        return; // its box gives up on this HELLO before an answer could reach it: answering costs an X25519 for nothing
                    }
                    if (failure != null) {
                        LOG.debugf("registration relay failed: %s", failure.getClass().getSimpleName());
                    }
                    Message reply = failure == null ? RelayMapping.answer(request.type(), answer)
                            : RelayMapping.tryAgain(request.type());
                    boolean pendingWork = failure == null && answer != null && answer.commandsPending();
                    finish(pending, boxKey, sender, reply, pendingWork, new Decision(answeredByFunctions,
                            receivedNanos, null, System.nanoTime(), RekeysAtEdge.admittedDigest(reply, info, infoDigest)));
                });
    }

    /**
     * How a handshake's answer was decided: {@code answeredBy} times it from the initiation's read
     * ({@code receivedNanos}) to the answer's sending; {@code judgedFrom}, for a re-key answered here,
     * the session it was judged on; the new session keeps when and to what box information the
     * functions last said OK.
     */
    private record Decision(Timer answeredBy, long receivedNanos, EdgeSession judgedFrom, long admittedAtNanos,
                            long admittedInfoDigest) {
    }

    /**
     * Answers the handshake: the response (its X25519) is made on the calling thread (a socket's, or
     * the relay's completion), so a handshake storm does not pile up on the home loop; an accepted
     * box's session is then added, and the answer sent, on the home loop. A re-key answered here is
     * answered only if the session it was judged on is still the box's: one the registry ended
     * meanwhile leaves the box unanswered, and its next handshake goes to the functions.
     */
    private void finish(PendingHandshake pending, String boxKey, InetSocketAddress sender, Message reply,
                        boolean commandsPending, Decision decision) {
        int index = sessions.reserveIndex();
        HandshakeResponse response;
        try {
            response = pending.respond(reply, index);
        } catch (ProtocolException e) {
            sessions.releaseIndex(index);
            drops.count(e.reason()); // the pending handshake timed out while the registry answered
            return;
        }
        loop.onHome(() -> {
            if (decision.judgedFrom() != null && sessions.byBox(boxKey) != decision.judgedFrom()) {
                response.session().destroy();
                sessions.releaseIndex(index);
                return;
            }
            if (reply instanceof Ok || reply instanceof OkNewIp) {
                sessions.put(new EdgeSession(response.session(), boxKey, sender, System.nanoTime(), commandsPending,
                        decision.admittedAtNanos(), decision.admittedInfoDigest()));
                sessionsStartedByVersion[response.session().version().ordinal()].increment();
            } else {
                response.session().destroy();
                sessions.releaseIndex(index);
            }
            // timed before the send, so that whoever sees the answer sees it counted
            decision.answeredBy().record(System.nanoTime() - decision.receivedNanos(), TimeUnit.NANOSECONDS);
            loop.send(response.datagram(), sender);
        });
    }

    /**
     * The registry no longer serves these boxes (rejected, deleted, address released): each is told
     * so on its session (NOK UNKNOWN_SESSION: "no registration for this session, handshake again with
     * HELLO"), and the session ends, so its next handshake goes to the functions at once rather than
     * after three unanswered PINGs.
     */
    void onNotServed(@Observes PresenceRelay.BoxesNotServed notServed) {
        loop.execute(() -> {
            for (String boxKey : notServed.boxKeys()) {
                EdgeSession session = sessions.byBox(boxKey);
                if (session != null) {
                    try {
                        loop.send(session.session().seal(new Nok(MessageType.PING, NokReason.UNKNOWN_SESSION,
                                "the registry no longer serves this box; register again")), session.address());
                    } catch (ProtocolException e) {
                        drops.count(e.reason()); // its keys ran out: it handshakes again anyway
                    }
                    sessions.remove(session);
                    sessionsEndedByRegistry.increment();
                }
            }
        });
    }

    private void transport(byte[] datagram, InetSocketAddress sender) throws ProtocolException {
        EdgeSession session = sessions.byIndex(Session.receiverIndexOf(datagram));
        if (session == null) {
            throw new ProtocolException(ProtocolException.Reason.UNKNOWN_SESSION, "no such session");
        }
        Message message = session.session().open(datagram);
        session.touch(sender, System.nanoTime());
        requests.handle(session, message);
    }
}
