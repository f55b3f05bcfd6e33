package io.starconsole.edge.jedi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.starconsole.edge.relay.CommandRelay;
import io.starconsole.edge.relay.EdgeIdentity;
import io.starconsole.edge.relay.FunctionsClient;
import io.starconsole.edge.relay.PresenceRelay;
import io.starconsole.edge.relay.RelayModels;
import io.starconsole.edge.session.EdgeSession;
import io.starconsole.edge.session.SessionTable;
import io.starconsole.edge.transport.EdgeLoop;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.message.AnsSpnInfo;
import io.starconsole.protocol.message.AskSpnInfo;
import io.starconsole.protocol.message.AskUserCmd;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.Bye;
import io.starconsole.protocol.message.CancelIp;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OtaStatus;
import io.starconsole.protocol.message.PeerEntry;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import io.starconsole.protocol.message.SndSpnInfo;
import io.starconsole.protocol.message.WakeUp;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a box asks once its session stands. PING is answered from memory and only queued for the
 * registry; everything else is relayed, and the answer sealed back on the edge's loop.
 */
@Singleton
public class BoxRequests {

    private static final Logger LOG = Logger.getLogger(BoxRequests.class);
    /** Pages of the registry's peer list fetched for one ASK_SPN_INFO at most. */
    private static final int MAX_REGISTRY_PAGES = 1000;
    /** Boxes whose lease is on its way at most; beyond it they are told to try again. */
    private static final int MAX_LEASING = 100_000;

    private final EdgeLoop loop;
    private final SessionTable sessions;
    private final FunctionsClient functions;
    private final PresenceRelay presence;
    private final String edgeId;
    private final DropCounters drops;
    private final CommandRelay commands;
    /**
     * Boxes whose ASK_USER_CMD is on its way (waiting for a batch, or in one): a repeated ASK of such
     * a box is not relayed again, the first one's answer is coming. Touched only on the edge's loop.
     */
    private final Set<EdgeSession> leasing = new HashSet<>();
    /**
     * Results on their way to the registry: a box sends an unanswered result again (its OK may be
     * lost), and the same result repeated while the first is relayed is not relayed twice: the
     * first one's answer is coming. Keeps a broadcast's peak, when result batches take longest,
     * from growing with its own repeats. Touched only on the edge's loop.
     */
    private final Set<RelayModels.CommandResult> reporting = new HashSet<>();
    /** Repeats of the two above, not relayed: a lossy link or a slow registry shows here. */
    private final Counter repeatedAsks;
    private final Counter repeatedResults;

    public BoxRequests(EdgeLoop loop, SessionTable sessions, FunctionsClient functions, PresenceRelay presence,
                       EdgeIdentity identity, DropCounters drops, CommandRelay commands, MeterRegistry registry) {
        this.commands = commands;
        this.repeatedAsks = repeated(registry, MessageType.ASK_USER_CMD);
        this.repeatedResults = repeated(registry, MessageType.COMMAND_RESULT);
        this.loop = loop;
        this.sessions = sessions;
        this.functions = functions;
        this.presence = presence;
        this.edgeId = identity.id();
        this.drops = drops;
    }

    private static Counter repeated(MeterRegistry registry, MessageType type) {
        return Counter.builder("edge.box.requests.repeated")
                .tag("type", type.name().toLowerCase(java.util.Locale.ROOT))
                .description("a box's request repeated while its first was relayed; not relayed again")
                .register(registry);
    }

    /**
     * On the thread of the socket the message came in on: a PING is answered there (it reads the
     * session and changes nothing the home loop owns); the rest is handled on the home loop.
     */
    void handle(EdgeSession session, Message message) {
        if (message instanceof Ping ping) {
            presence.record(session);
            reply(session, new Pong(ping.sequence(), session.commandsPending() ? Pong.COMMANDS_PENDING : 0,
                    System.currentTimeMillis()));
        } else {
            loop.onHome(() -> handleOnHomeLoop(session, message));
        }
    }

    private void handleOnHomeLoop(EdgeSession session, Message message) {
        if (message instanceof Bye) {
            // The box is leaving and will not wait: answer now, end the session, tell the registry.
            reply(session, new Ok(MessageType.BYE));
            sessions.remove(session);
            functions.post("bye", new RelayModels.ByeRequest(session.boxKey(), edgeId), Void.class)
                    .exceptionally(failure -> {
                        LOG.debugf("bye relay failed (%s); the box goes offline by silence instead",
                                failure.getClass().getSimpleName());
                        return null;
                    });
        } else if (message instanceof CancelIp) {
            relay(session, "cancel-ip", new RelayModels.CancelIpRequest(session.boxKey()), MessageType.CANCEL_IP);
        } else if (message instanceof SndSpnInfo info) {
            relay(session, "spn-info", new RelayModels.SpnInfo(session.boxKey(), session.address().getAddress().getHostAddress(),
                    info.endpointPort(), info.allowedIps(), info.listenPort()), MessageType.SND_SPN_INFO);
        } else if (message instanceof AskSpnInfo ask) {
            peers(session, ask.page());
        } else if (message instanceof OtaStatus status) {
            relay(session, "ota/status", new RelayModels.OtaStatusReport(session.boxKey(), status.releaseId(),
                    status.version(), status.state().name().toLowerCase(java.util.Locale.ROOT),
                    status.progressPercent(), status.message()), MessageType.OTA_STATUS);
        } else if (message instanceof AskUserCmd) {
            lease(session);
        } else if (message instanceof CommandResult result) {
            report(session, new RelayModels.CommandResult(session.boxKey(), result.commandId(),
                    RelayMapping.resultState(result), result.message()));
        } else {
            reply(session, new Nok(message.type(), NokReason.NOT_ALLOWED,
                    "this edge does not take " + message.type() + " from a box"));
        }
    }

    /** Relays an idempotent request; the box hears OK, or NOK TRY_AGAIN if the registry did not take it. */
    private void relay(EdgeSession session, String path, Object body, MessageType request) {
        functions.post(path, body, Void.class).whenComplete((ignored, failure) -> {
            Message answer = failure == null ? new Ok(request) : RelayMapping.tryAgain(request);
            loop.execute(() -> reply(session, answer));
        });
    }

    /** ASK_USER_CMD: the box's next command from the queue, leased to it for the visibility timeout. */
    private void lease(EdgeSession session) {
        if (leasing.contains(session)) {
            repeatedAsks.increment();
            return;
        }
        if (leasing.size() >= MAX_LEASING) {
            reply(session, RelayMapping.tryAgain(MessageType.ASK_USER_CMD));
            return;
        }
        leasing.add(session);
        commands.lease(session.boxKey()).whenComplete((answer, failure) -> loop.execute(() -> {
            leasing.remove(session);
            EdgeSession current = current(session);
            if (current == null) {
                return; // the box left; its lease runs out and the command is delivered again
            }
            if (failure != null || answer == null || answer.error() != null) {
                reply(current, RelayMapping.tryAgain(MessageType.ASK_USER_CMD));
            } else {
                current.commandsPending(answer.command() != null && answer.morePending());
                reply(current, RelayMapping.command(answer.lease()));
            }
        }));
    }

    /** COMMAND_RESULT: OK once the registry recorded it, NOK TRY_AGAIN if it could not. */
    private void report(EdgeSession session, RelayModels.CommandResult result) {
        if (!reporting.add(result)) {
            repeatedResults.increment();
            return;
        }
        commands.result(result).whenComplete((answer, failure) -> loop.execute(() -> {
            reporting.remove(result);
            reply(session, failure == null && answer != null && answer.error() == null
                    ? new Ok(MessageType.COMMAND_RESULT) : RelayMapping.tryAgain(MessageType.COMMAND_RESULT));
        }));
    }

    /**
     * ASK_SPN_INFO: the registry's peer list, re-paged here so each page fits one datagram whatever
     * the registry's page size.
     */
    private void peers(EdgeSession session, int page) {
        fetchAllPeers(session.boxKey(), 0, new ArrayList<>()).whenComplete((peers, failure) -> {
            Message answer;
            if (failure != null) {
                answer = RelayMapping.tryAgain(MessageType.ASK_SPN_INFO);
            } else {
                List<AnsSpnInfo> pages = AnsSpnInfo.paginate(RelayMapping.peers(peers));
                answer = page < pages.size() ? pages.get(page)
                        : new AnsSpnInfo(page, pages.size(), List.<PeerEntry>of());
            }
            loop.execute(() -> reply(session, answer));
        });
    }

    private CompletableFuture<List<RelayModels.Peer>> fetchAllPeers(String boxKey, int page,
                                                                    List<RelayModels.Peer> collected) {
        return functions.post("peers", new RelayModels.PeersRequest(boxKey, page), RelayModels.PeerPage.class)
                .thenCompose(result -> {
                    if (result == null || result.peers() == null) {
                        return CompletableFuture.completedFuture(collected);
                    }
                    collected.addAll(result.peers());
                    boolean more = page + 1 < result.totalPages() && page + 1 < MAX_REGISTRY_PAGES;
                    return more ? fetchAllPeers(boxKey, page + 1, collected)
                            : CompletableFuture.completedFuture(collected);
                });
    }

    /**
     * The registry says these boxes have commands waiting: flag their PONGs and wake them now. A box
     * whose lease is on its way is woken even if already flagged: the lease's "more pending" may
     * have been read before this work committed, and its answer clears the flag; the box, told
     * during its ask, asks again once its command is done.
     */
    void onWork(@Observes PresenceRelay.BoxesWithWork work) {
        loop.execute(() -> {
            for (String boxKey : work.boxKeys()) {
                EdgeSession session = sessions.byBox(boxKey);
                if (session != null && (!session.commandsPending() || leasing.contains(session))) {
                    session.commandsPending(true);
                    reply(session, new WakeUp(1));
                }
            }
        });
    }

    /**
     * The box's session now: {@code session}, or the one a newer handshake of the same box (a re-key)
     * put in its place; null once the box has none (BYE, expiry).
     */
    private EdgeSession current(EdgeSession session) {
        return sessions.byIndex(session.index()) == session ? session : sessions.byBox(session.boxKey());
    }

    /**
     * Seals {@code message} on the box's current session: a box that re-keyed while its request was
     * relayed has dropped the old session's keys, and a command leased to it and answered on them
     * would wait out its lease (30 s) before being delivered again.
     */
    private void reply(EdgeSession session, Message message) {
        EdgeSession current = current(session);
        if (current == null) {
            return; // the box's session ended (BYE, expiry) while the answer was on its way
        }
        try {
            loop.send(current.session().seal(message), current.address());
        } catch (ProtocolException e) {
            drops.count(e.reason());
            LOG.debugf("could not seal %s: %s", message.type(), e.reason());
        }
    }
}
