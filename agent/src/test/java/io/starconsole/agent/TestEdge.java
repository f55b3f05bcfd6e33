package io.starconsole.agent;

import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.HandshakeResponse;
import io.starconsole.protocol.handshake.InitiationResult;
import io.starconsole.protocol.handshake.PendingHandshake;
import io.starconsole.protocol.handshake.Responder;
import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.AskUserCmd;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Bye;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.Reconnect;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.OtaStatus;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.WakeUp;
import io.starconsole.protocol.session.Session;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal edge for the agent's tests, on a real loopback UDP socket: the protocol library's
 * {@link Responder}; HELLO/RECONNECT answered with OK_NEWIP (10.7.0.x/24, one address per key) or
 * a scripted NOK; PING with PONG (optionally flagging pending commands); ASK_USER_CMD with the
 * queued commands; BYEs, results and requests counted. It can go silent and can restart with a new
 * key pair (rewriting {@code edge.pub}). Registrations can be scripted ({@link Answer}: OK, OK_NEWIP
 * with another address, NOK, silence) or ignored altogether while sessions keep working; each
 * registration's BoxInfo and key, and the key of the session each result came on, are recorded.
 */
public final class TestEdge implements AutoCloseable {

    /** A scripted answer to one registration. */
    public enum Answer {
        OK,
        /** OK_NEWIP with {@link #OTHER_ADDRESS}, not the address asked for */
        OK_NEWIP_OTHER,
        NOK,
        SILENCE
    }

    public static final String OTHER_ADDRESS = "10.7.0.200";

    private final DatagramSocket socket;
    private final Thread thread;
    private final Path keyDirectory;
    private volatile Responder responder;
    private volatile boolean silent;
    private volatile boolean commandsPendingFlag;
    private volatile boolean ignoreRegistrations;
    private final Queue<Answer> scriptedAnswers = new ArrayDeque<>();
    public final List<BoxInfo> registrations = new CopyOnWriteArrayList<>();
    public final List<Key> registrationKeys = new CopyOnWriteArrayList<>();
    public final List<Key> resultKeys = new CopyOnWriteArrayList<>();
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final Map<Key, Integer> addresses = new ConcurrentHashMap<>();
    private final Queue<NokReason> scriptedNoks = new ArrayDeque<>();
    private final Queue<UserCommand> commands = new ArrayDeque<>();
    public final Set<Key> registeredKeys = ConcurrentHashMap.newKeySet();
    public final List<MessageType> requests = new CopyOnWriteArrayList<>();
    public final List<CommandResult> results = new CopyOnWriteArrayList<>();
    public final List<CommandResult> refusedResults = new CopyOnWriteArrayList<>();
    private int resultsToRefuse;
    private int resultAnswersToLose;
    public final List<OtaStatus> otaStatuses = new CopyOnWriteArrayList<>();
    public final AtomicInteger pings = new AtomicInteger();
    public final AtomicInteger byes = new AtomicInteger();
    public final AtomicInteger asks = new AtomicInteger();
    private volatile UserCommand queuedDuringNextAsk;
    private volatile UserCommand queuedAtNextResult;
    public final AtomicInteger initiationsSeen = new AtomicInteger();

    public TestEdge(Path keyDirectory) throws IOException {
        this.keyDirectory = keyDirectory;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        rekey();
        this.thread = new Thread(this::loop, "test-edge");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** New key pair (as after a restart with fresh keys): sessions forgotten, edge.pub rewritten. */
    public synchronized void rekey() throws IOException {
        KeyPair keys = KeyPair.generate(new SecureRandom());
        responder = new Responder(keys);
        sessions.clear();
        Files.createDirectories(keyDirectory);
        Files.writeString(keyDirectory.resolve("edge.pub"), keys.publicKey().toBase64() + "\n", StandardCharsets.US_ASCII);
    }

    /** A restart with the same key: all sessions forgotten. */
    public void forgetSessions() {
        sessions.clear();
    }

    public Path publicKeyFile() {
        return keyDirectory.resolve("edge.pub");
    }

    public String publicKeyBase64() {
        return responder.publicKey().toBase64();
    }

    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public void setSilent(boolean silent) {
        this.silent = silent;
    }

    public void setCommandsPendingFlag(boolean pending) {
        this.commandsPendingFlag = pending;
    }

    public synchronized void answerNextRegistrationsWith(NokReason... reasons) {
        scriptedNoks.addAll(Arrays.asList(reasons));
    }

    /** Answers the next registrations (HELLO or RECONNECT) with these, in order; then as usual. */
    public synchronized void scriptRegistrations(Answer... answers) {
        scriptedAnswers.addAll(Arrays.asList(answers));
    }

    /** Drops every initiation while set; sessions keep working (PING, commands, results). */
    public void setIgnoreRegistrations(boolean ignore) {
        this.ignoreRegistrations = ignore;
    }

    /** Answers the next {@code n} results NOK TRY_AGAIN, as an edge does while the console's database is down. */
    public synchronized void refuseNextResults(int n) {
        resultsToRefuse = n;
    }

    /**
     * Takes the next {@code n} results (they are counted in {@link #results}) but sends no OK, as if
     * each OK were lost on the way back to the box.
     */
    public synchronized void loseNextResultAnswers(int n) {
        resultAnswersToLose = n;
    }

    public synchronized void queue(UserCommand command) {
        commands.add(command);
    }

    /**
     * The race of a real edge: {@code command} is queued while the box's next ASK_USER_CMD is on
     * its way, after the lease found nothing. The box hears WAKE_UP first, then the empty answer.
     */
    public synchronized void queueDuringNextAsk(UserCommand command) {
        queuedDuringNextAsk = command;
    }

    /**
     * {@code command} is queued when the box's next result arrives, while the box still waits for
     * that result's OK: the box hears WAKE_UP, then the OK. The PONGs' flag stays down.
     */
    public synchronized void queueAtNextResult(UserCommand command) {
        queuedAtNextResult = command;
    }

    private void loop() {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            if (silent) {
                continue;
            }
            byte[] datagram = Arrays.copyOf(packet.getData(), packet.getLength());
            try {
                handle(datagram, (InetSocketAddress) packet.getSocketAddress());
            } catch (ProtocolException | IOException e) {
                // junk or a session this edge does not know: dropped, as a real edge does
            }
        }
    }

    private synchronized void handle(byte[] datagram, InetSocketAddress source) throws ProtocolException, IOException {
        if (datagram[1] == PacketKind.HANDSHAKE_INITIATION.code()) {
            initiationsSeen.incrementAndGet();
            if (ignoreRegistrations) {
                return;
            }
            InitiationResult result = responder.consumeInitiation(datagram, source);
            PendingHandshake pending = (PendingHandshake) result;
            requests.add(pending.request().type());
            registrations.add(pending.request() instanceof Hello hello ? hello.info() : ((Reconnect) pending.request()).info());
            registrationKeys.add(pending.boxPublicKey());
            Answer scripted = scriptedAnswers.poll();
            NokReason nok = scripted == Answer.NOK ? NokReason.TRY_AGAIN : scripted == null ? scriptedNoks.poll() : null;
            Message answer;
            if (scripted == Answer.SILENCE) {
                pending.discard();
                return;
            } else if (scripted == Answer.OK) {
                answer = new Ok(pending.request().type());
                registeredKeys.add(pending.boxPublicKey());
            } else if (scripted == Answer.OK_NEWIP_OTHER) {
                answer = new OkNewIp(ip(10, 7, 0, 200), 24);
                registeredKeys.add(pending.boxPublicKey());
            } else if (nok != null) {
                answer = new Nok(pending.request().type(), nok, "scripted");
            } else {
                int host = addresses.computeIfAbsent(pending.boxPublicKey(), k -> addresses.size() + 2);
                answer = new OkNewIp(ip(10, 7, 0, host), 24);
                registeredKeys.add(pending.boxPublicKey());
            }
            HandshakeResponse response = pending.respond(answer);
            if (nok == null) {
                sessions.put(response.session().localIndex(), response.session());
            }
            send(response.datagram(), source);
            return;
        }
        Session session = sessions.get(Session.receiverIndexOf(datagram));
        if (session == null) {
            return;
        }
        Message message = session.open(datagram);
        if (message instanceof Ping ping) {
            pings.incrementAndGet();
            send(session.seal(new Pong(ping.sequence(), commandsPendingFlag ? Pong.COMMANDS_PENDING : 0, System.currentTimeMillis())), source);
        } else if (message instanceof Bye) {
            byes.incrementAndGet();
            sessions.remove(session.localIndex());
            send(session.seal(new Ok(MessageType.BYE)), source);
        } else if (message instanceof AskUserCmd) {
            asks.incrementAndGet();
            UserCommand late = queuedDuringNextAsk;
            if (late != null) {
                queuedDuringNextAsk = null;
                commandsPendingFlag = false; // only the WAKE_UP tells of the new command
                send(session.seal(new WakeUp(1)), source);
                send(session.seal(AnsUserCmd.none()), source);
                commands.add(late);
                return;
            }
            UserCommand next = commands.poll();
            send(session.seal(next == null ? AnsUserCmd.none() : AnsUserCmd.of(next, !commands.isEmpty())), source);
            if (commands.isEmpty()) {
                commandsPendingFlag = false;
            }
        } else if (message instanceof OtaStatus status) {
            otaStatuses.add(status);
            send(session.seal(new Ok(MessageType.OTA_STATUS)), source);
        } else if (message instanceof CommandResult result && resultsToRefuse > 0) {
            resultsToRefuse--;
            refusedResults.add(result);
            send(session.seal(new Nok(MessageType.COMMAND_RESULT, NokReason.TRY_AGAIN, "database down")), source);
        } else if (message instanceof CommandResult result) {
            results.add(result);
            resultKeys.add(session.remoteStaticKey());
            UserCommand late = queuedAtNextResult;
            if (late != null) {
                queuedAtNextResult = null;
                commands.add(late);
                send(session.seal(new WakeUp(1)), source);
            }
            if (resultAnswersToLose > 0) {
                resultAnswersToLose--;
                return;
            }
            send(session.seal(new Ok(MessageType.COMMAND_RESULT)), source);
        }
    }

    private void send(byte[] datagram, InetSocketAddress target) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, target));
    }

    static Inet4Address ip(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
