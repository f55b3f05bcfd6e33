package io.starconsole.bench;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.Established;
import io.starconsole.protocol.handshake.InitiationAttempt;
import io.starconsole.protocol.handshake.Initiator;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.MacAddress;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Reconnect;
import io.starconsole.protocol.session.Session;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N boxes in one process, each with its own X25519 key pair and its own JEDI/2 session made by a
 * real handshake with the edge over real UDP. The boxes share a few UDP sockets ({@code sockets}),
 * each bound to its own loopback address 127.0.0.<2+k> so that per-source limits of the edge see
 * several sources; replies are routed to their box by the receiver index, as the edge does.
 * Receiving runs on {@code receivers} threads; what arrives is handed to a {@link Listener}.
 */
final class BoxFleet implements AutoCloseable {

    /** What the load generator does with what the edge sends. Called on a receiver thread. */
    interface Listener {
        void transport(Box box, Message message, long receivedNanos);
    }

    /** One simulated box. */
    static final class Box {
        final int number;
        final KeyPair keys;
        final Initiator initiator;
        final DatagramChannel channel;
        volatile InitiationAttempt attempt;
        volatile long handshakeDueNanos;
        volatile Session session;
        /** When the current session was made (System.nanoTime()). */
        volatile long sessionSinceNanos;
        volatile Message answer;
        volatile String spnIp;
        volatile int prefixLength;
        /** A HELLO made before its due time by {@link #prepareInitiations}, sent as it is. */
        volatile InitiationAttempt prepared;
        /** A response kept unread by {@link #deferResponses()}: its datagram, its attempt, when it came. */
        volatile byte[] deferredResponse;
        volatile InitiationAttempt deferredAttempt;
        volatile long deferredAtNanos;

        Box(int number, KeyPair keys, Key edgeKey, JediVersion version, DatagramChannel channel) {
            this.number = number;
            this.keys = keys;
            this.initiator = new Initiator(keys, edgeKey, version);
            this.channel = channel;
        }
    }

    private final List<Box> boxes = new ArrayList<>();
    private final Map<Integer, Box> byIndex = new ConcurrentHashMap<>();
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Thread> receivers = new ArrayList<>();
    private final InetSocketAddress edge;
    private volatile Listener listener = (box, message, at) -> { };
    private volatile boolean running = true;
    private final Histogram handshakeLatency = LatencyReport.newHistogram();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong cookies = new AtomicLong();
    private final AtomicLong junk = new AtomicLong();
    /** Responses kept unread while {@link #deferResponses} is on (counted as answered meanwhile). */
    private final AtomicLong deferred = new AtomicLong();
    private volatile boolean deferResponses;

    /** Boxes speaking {@link JediVersion#CURRENT}. */
    BoxFleet(int n, Key edgeKey, InetSocketAddress edge, int sockets, int receiverThreads) throws IOException {
        this(n, edgeKey, edge, sockets, receiverThreads, JediVersion.CURRENT);
    }

    BoxFleet(int n, Key edgeKey, InetSocketAddress edge, int sockets, int receiverThreads, JediVersion version)
            throws IOException {
        this.edge = edge;
        for (int k = 0; k < sockets; k++) {
            DatagramChannel channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getByName("127.0." + (k / 250) + "." + (2 + k % 250)), 0));
            channel.configureBlocking(false);
            channels.add(channel);
        }
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < n; i++) {
            boxes.add(new Box(i + 1, KeyPair.generate(random), edgeKey, version, channels.get(i % sockets)));
        }
        for (int r = 0; r < receiverThreads; r++) {
            Selector selector = Selector.open();
            for (int k = r; k < sockets; k += receiverThreads) {
                channels.get(k).register(selector, SelectionKey.OP_READ);
            }
            Thread thread = new Thread(() -> receive(selector), "fleet-receiver-" + r);
            thread.setDaemon(true);
            thread.start();
            receivers.add(thread);
        }
    }

    List<Box> boxes() {
        return boxes;
    }

    void listener(Listener listener) {
        this.listener = listener;
    }

    static BoxInfo info(int number) throws IOException {
        return info(number, "0.0.0.0", 0);
    }

    /** What the box says in a RECONNECT: as an agent does, it asks for the address it holds. */
    static BoxInfo reconnectInfo(Box box) throws IOException {
        return box.spnIp == null ? info(box.number) : info(box.number, box.spnIp, box.prefixLength);
    }

    private static BoxInfo info(int number, String requestedSpnIp, int prefixLength) throws IOException {
        return new BoxInfo("bench", "bench-" + number, MacAddress.parse(String.format(Locale.ROOT,
                "02:54:00:%02x:%02x:%02x", (number >> 16) & 0xFF, (number >> 8) & 0xFF, number & 0xFF)),
                (Inet4Address) InetAddress.getByName(requestedSpnIp), prefixLength, 51820, 51820, "", "bench", "");
    }

    /**
     * Starts a handshake (HELLO) for {@code box}, due at {@code dueNanos}: the handshake latency is
     * measured from then to the consumed response.
     */
    void hello(Box box, long dueNanos) throws IOException {
        InitiationAttempt previous = box.attempt;
        if (previous != null) {
            byIndex.remove(previous.localIndex(), box);
        }
        Session old = box.session;
        if (old != null) {
            byIndex.remove(old.localIndex(), box);
        }
        box.session = null;
        box.answer = null;
        box.handshakeDueNanos = dueNanos;
        InitiationAttempt attempt = box.prepared;
        box.prepared = null;
        if (attempt == null) {
            attempt = initiate(box, new Hello(info(box.number)));
        }
        box.attempt = attempt;
        box.channel.send(ByteBuffer.wrap(attempt.datagram()), edge);
    }

    /**
     * Makes every box's HELLO (or RECONNECT) now (its ephemeral key and the DH with the edge's key),
     * for {@link #hello} (or {@link #reconnect}) to send when it is due. A real box makes its
     * initiation on its own processor; made here in the window, 25,000 boxes' X25519 would take a
     * large share of the cores the console is measured on. A box answered by a cookie reply makes its
     * next HELLO when the reply comes.
     */
    void prepareInitiations(boolean reconnect) throws IOException {
        for (Box box : boxes) {
            Message request = reconnect ? new Reconnect(reconnectInfo(box)) : new Hello(info(box.number));
            box.prepared = initiate(box, request);
        }
    }

    /**
     * From now on a handshake response is kept as it came, with the time it came, and not read
     * (the box's two DH and decryption) until {@link #readDeferredResponses()}: the box's half of the
     * handshake done after the window, like {@link #prepareInitiations} before it. The latency is
     * still that of the response's arrival; a response is only counted accepted or refused once read.
     */
    void deferResponses() {
        deferResponses = true;
    }

    /**
     * Reads the responses kept by {@link #deferResponses()} as a box reads its response: each one
     * that authenticates counts, with its latency, as accepted or refused; one that does not counts
     * as junk (its box unanswered). Stops deferring.
     */
    void readDeferredResponses() {
        deferResponses = false;
        for (Box box : boxes) {
            byte[] datagram = box.deferredResponse;
            if (datagram == null) {
                continue;
            }
            box.deferredResponse = null;
            deferred.decrementAndGet();
            try {
                consume(box, box.deferredAttempt, datagram, box.deferredAtNanos);
            } catch (ProtocolException e) {
                junk.incrementAndGet();
            }
        }
    }

    /**
     * Re-keys {@code box} as an agent does before its session ages out: a new handshake carrying
     * RECONNECT, while the current session carries on until the new one is answered (a refused
     * RECONNECT leaves the current session in place).
     */
    void reconnect(Box box, long dueNanos) throws IOException {
        box.handshakeDueNanos = dueNanos;
        InitiationAttempt attempt = box.prepared;
        box.prepared = null;
        if (attempt == null) {
            attempt = initiate(box, new Reconnect(reconnectInfo(box)));
        }
        box.attempt = attempt;
        box.channel.send(ByteBuffer.wrap(attempt.datagram()), edge);
    }

    /**
     * A new handshake of {@code box}, whose local index no other box of the fleet holds, mapped to
     * it. Real boxes each have their own indexes; the fleet's share one map, and two boxes drawing
     * the same random index (at 125,000 boxes about two do) would read each other's answers: one
     * of them lost every PONG for a whole run.
     */
    private InitiationAttempt initiate(Box box, Message request) {
        while (true) {
            InitiationAttempt attempt = box.initiator.initiate(request);
            if (byIndex.putIfAbsent(attempt.localIndex(), box) == null) {
                return attempt;
            }
        }
    }

    /** Seals {@code message} in the box's session and sends it; false if it could not be sent now. */
    boolean send(Box box, Message message) throws IOException {
        Session session = box.session;
        if (session == null) {
            return false;
        }
        try {
            return box.channel.send(ByteBuffer.wrap(session.seal(message)), edge) > 0;
        } catch (ProtocolException expired) {
            return false;
        }
    }

    private void receive(Selector selector) {
        ByteBuffer buffer = ByteBuffer.allocate(Packet.MAX_DATAGRAM_SIZE_IN_BYTES + 64);
        while (running) {
            try {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    while (true) {
                        buffer.clear();
                        if (channel.receive(buffer) == null) {
                            break;
                        }
                        long now = System.nanoTime();
                        buffer.flip();
                        byte[] datagram = new byte[buffer.remaining()];
                        buffer.get(datagram);
                        dispatch(datagram, now);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (running) {
                    junk.incrementAndGet();
                }
            }
        }
    }

    private void dispatch(byte[] datagram, long now) throws IOException {
        try {
            PacketKind kind = Packet.kindOf(datagram);
            switch (kind) {
                case HANDSHAKE_RESPONSE -> response(datagram, now);
                case COOKIE_REPLY -> cookie(datagram);
                case TRANSPORT_DATA -> {
                    Box box = byIndex.get(Packet.readInt(datagram, 4));
                    Session session = box == null ? null : box.session;
                    if (session == null) {
                        junk.incrementAndGet();
                        return;
                    }
                    listener.transport(box, session.open(datagram), now);
                }
                default -> junk.incrementAndGet();
            }
        } catch (ProtocolException e) {
            junk.incrementAndGet();
        }
    }

    private void response(byte[] datagram, long now) throws ProtocolException {
        Box box = byIndex.get(Packet.readInt(datagram, 8));
        InitiationAttempt attempt = box == null ? null : box.attempt;
        if (attempt == null) {
            junk.incrementAndGet();
            return;
        }
        if (deferResponses) {
            box.attempt = null;
            box.deferredAttempt = attempt;
            box.deferredAtNanos = now;
            box.deferredResponse = datagram;
            deferred.incrementAndGet();
            return;
        }
        consume(box, attempt, datagram, now);
    }

    private void consume(Box box, InitiationAttempt attempt, byte[] datagram, long now) throws ProtocolException {
        Established established = attempt.consumeResponse(datagram);
        box.attempt = null;
        synchronized (handshakeLatency) {
            handshakeLatency.recordValue(Math.max(0, now - box.handshakeDueNanos));
        }
        box.answer = established.answer();
        if (established.answer() instanceof Nok) {
            refused.incrementAndGet();
            established.session().destroy();
            byIndex.remove(attempt.localIndex(), box);
            return;
        }
        if (established.answer() instanceof OkNewIp ok) {
            box.spnIp = ok.spnIp().getHostAddress();
            box.prefixLength = ok.prefixLength();
        }
        // The replaced session's index stays mapped: answers to what was sent on it still arrive.
        box.session = established.session();
        box.sessionSinceNanos = now;
        accepted.incrementAndGet();
    }

    /** The edge is under load: take its cookie and start again, as a real box does. */
    private void cookie(byte[] datagram) throws IOException, ProtocolException {
        cookies.incrementAndGet();
        Box box = byIndex.get(Packet.readInt(datagram, 4));
        InitiationAttempt attempt = box == null ? null : box.attempt;
        if (attempt == null) {
            return;
        }
        attempt.consumeCookieReply(datagram);
        hello(box, box.handshakeDueNanos);
    }

    /**
     * Waits until {@code count} boxes are answered (accepted, refused, or a response kept unread) or
     * the timeout passes.
     */
    boolean awaitAnswers(long count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (accepted.get() + refused.get() + deferred.get() < count) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Handshakes every box at {@code rate} per second (open loop) and waits for the answers; boxes
     * unanswered after {@code timeoutMillis} are counted as lost by the caller. The sender parks
     * between HELLOs and never spins: at 1,000/s spinning the last 100 µs before each due time was
     * ~10% of a core taken from the edge and the functions on the same cores (latency still counts
     * from the due time).
     */
    void helloAll(double rate, long timeoutMillis) throws IOException, InterruptedException {
        initiateAll(rate, timeoutMillis, false);
    }

    /** As {@link #helloAll}, with RECONNECT instead when {@code reconnect}: each box keeps its session meanwhile. */
    void initiateAll(double rate, long timeoutMillis, boolean reconnect) throws IOException, InterruptedException {
        long before = accepted.get() + refused.get() + deferred.get();
        RateSchedule schedule = new RateSchedule(System.nanoTime(), rate);
        for (int i = 0; i < boxes.size(); i++) {
            long due = schedule.dueNanos(i);
            RateSchedule.parkUntil(due);
            if (reconnect) {
                reconnect(boxes.get(i), due);
            } else {
                hello(boxes.get(i), due);
            }
        }
        awaitAnswers(before + boxes.size(), timeoutMillis);
    }

    Histogram handshakeLatency() {
        synchronized (handshakeLatency) {
            return handshakeLatency.copy();
        }
    }

    void resetHandshakeLatency() {
        synchronized (handshakeLatency) {
            handshakeLatency.reset();
        }
    }

    long accepted() {
        return accepted.get();
    }

    long refused() {
        return refused.get();
    }

    long cookies() {
        return cookies.get();
    }

    long junk() {
        return junk.get();
    }

    /** SPN addresses handed out by OK_NEWIP to more than one box. */
    long duplicateAddresses() {
        Map<String, Long> counts = boxes.stream().filter(b -> b.spnIp != null)
                .collect(java.util.stream.Collectors.groupingBy(b -> b.spnIp, java.util.stream.Collectors.counting()));
        return counts.values().stream().filter(n -> n > 1).count();
    }

    long established() {
        return boxes.stream().filter(b -> b.session != null).count();
    }

    @Override
    public void close() throws IOException {
        running = false;
        for (Thread receiver : receivers) {
            try {
                receiver.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (DatagramChannel channel : channels) {
            channel.close();
        }
    }
}
