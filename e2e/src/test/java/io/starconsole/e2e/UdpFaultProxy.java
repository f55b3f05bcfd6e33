package io.starconsole.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bad network between boxes and the edge, on loopback: every datagram in either direction may be
 * dropped, duplicated, delayed (which also reorders) — each with its own probability — or, while
 * {@link #blackhole} is on, all dropped. Boxes talk to {@link #port()}; each box gets its own
 * upstream socket, so the edge still sees one address per box.
 */
final class UdpFaultProxy implements AutoCloseable {

    private static final byte HANDSHAKE_INITIATION = 1;

    private final DatagramSocket downstream;
    private volatile InetSocketAddress edge;
    private final Map<SocketAddress, DatagramSocket> upstreamByBox = new ConcurrentHashMap<>();
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    private final Random random = new Random(31902);
    private volatile double dropRate;
    private volatile double duplicateRate;
    private volatile double delayRate;
    private volatile int maxDelayMillis;
    private volatile boolean blackhole;
    private volatile boolean dropHandshakes;
    private volatile boolean running = true;
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong delayed = new AtomicLong();

    UdpFaultProxy(int edgePort) throws SocketException {
        this.downstream = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.edge = new InetSocketAddress(InetAddress.getLoopbackAddress(), edgePort);
        Thread pump = new Thread(this::pumpFromBoxes, "fault-proxy-boxes");
        pump.setDaemon(true);
        pump.start();
    }

    int port() {
        return downstream.getLocalPort();
    }

    /** Sends the boxes' traffic to another edge from now on, as a UDP load balancer may. */
    void retarget(int edgePort) {
        this.edge = new InetSocketAddress(InetAddress.getLoopbackAddress(), edgePort);
        upstreamByBox.values().forEach(DatagramSocket::close); // replies of the old edge stop here
        upstreamByBox.clear();
    }

    /** Drop, duplicate and delay (up to {@code maxDelayMillis}) with these probabilities. */
    UdpFaultProxy faults(double drop, double duplicate, double delay, int maxDelayMillis) {
        this.dropRate = drop;
        this.duplicateRate = duplicate;
        this.delayRate = delay;
        this.maxDelayMillis = maxDelayMillis;
        return this;
    }

    void blackhole(boolean on) {
        this.blackhole = on;
    }

    /**
     * Drops the boxes' handshake initiations only (the packet kind is in the clear): established
     * sessions keep working, but no box can register again while it is on.
     */
    void dropHandshakes(boolean on) {
        this.dropHandshakes = on;
    }

    private void pumpFromBoxes() {
        byte[] buffer = new byte[2048];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                downstream.receive(packet);
            } catch (IOException closed) {
                return;
            }
            SocketAddress box = packet.getSocketAddress();
            DatagramSocket upstream = upstreamByBox.computeIfAbsent(box, this::openUpstream);
            byte[] datagram = Arrays.copyOf(buffer, packet.getLength());
            if (dropHandshakes && datagram.length > 1 && datagram[1] == HANDSHAKE_INITIATION) {
                dropped.incrementAndGet();
                continue;
            }
            forward(upstream, datagram, edge);
        }
    }

    private DatagramSocket openUpstream(SocketAddress box) {
        try {
            DatagramSocket upstream = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread pump = new Thread(() -> pumpFromEdge(upstream, box), "fault-proxy-edge");
            pump.setDaemon(true);
            pump.start();
            return upstream;
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    private void pumpFromEdge(DatagramSocket upstream, SocketAddress box) {
        byte[] buffer = new byte[2048];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                upstream.receive(packet);
            } catch (IOException closed) {
                return;
            }
            forward(downstream, Arrays.copyOf(buffer, packet.getLength()), box);
        }
    }

    private void forward(DatagramSocket via, byte[] datagram, SocketAddress to) {
        double dice;
        synchronized (random) {
            dice = random.nextDouble();
        }
        if (blackhole || dice < dropRate) {
            dropped.incrementAndGet();
            return;
        }
        int copies = chance(duplicateRate) ? 2 : 1;
        if (copies == 2) {
            duplicated.incrementAndGet();
        }
        for (int i = 0; i < copies; i++) {
            if (chance(delayRate)) {
                delayed.incrementAndGet();
                int delay;
                synchronized (random) {
                    delay = 1 + random.nextInt(Math.max(1, maxDelayMillis));
                }
                delays.schedule(() -> send(via, datagram, to), delay, TimeUnit.MILLISECONDS);
            } else {
                send(via, datagram, to);
            }
        }
    }

    private boolean chance(double probability) {
        synchronized (random) {
            return random.nextDouble() < probability;
        }
    }

    private static void send(DatagramSocket via, byte[] datagram, SocketAddress to) {
        try {
            via.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException closed) {
            // the proxy is closing
        }
    }

    @Override
    public void close() {
        running = false;
        downstream.close();
        upstreamByBox.values().forEach(DatagramSocket::close);
        delays.shutdownNow();
    }
}
