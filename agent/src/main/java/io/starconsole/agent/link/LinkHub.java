package io.starconsole.agent.link;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One receive thread for any number of {@link BoxLink}s: a {@link Selector} over their UDP
 * channels, so N simulated boxes cost N sockets but one thread. Each datagram is handed to its
 * box's receiver on this thread; receivers must be quick (hand slow work to a scheduler).
 */
public final class LinkHub implements Closeable {

    private static final Logger LOG = System.getLogger(LinkHub.class.getName());
    private static final int MAX_DATAGRAM = 2048;

    private final Selector selector;
    private final Queue<BoxLink> toRegister = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private volatile boolean closed;

    public LinkHub() throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "agent-link");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A new UDP socket on an ephemeral port, connected to {@code edge}; datagrams from it go to {@code receiver}. */
    public BoxLink open(InetSocketAddress edge, Consumer<byte[]> receiver) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.configureBlocking(false);
        channel.connect(edge); // receives from the edge's address only
        BoxLink link = new BoxLink(channel, receiver);
        toRegister.add(link);
        selector.wakeup();
        return link;
    }

    public boolean isAlive() {
        return thread.isAlive() && !closed;
    }

    private void loop() {
        while (!closed) {
            try {
                selector.select(1000);
                registerNew();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        drain((BoxLink) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "link loop: " + e);
            }
        }
    }

    private void registerNew() {
        BoxLink link;
        while ((link = toRegister.poll()) != null) {
            try {
                if (link.channel().isOpen()) {
                    link.channel().register(selector, SelectionKey.OP_READ, link);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot watch a box's socket: " + e);
            }
        }
    }

    private void drain(BoxLink link) {
        for (int i = 0; i < 64; i++) { // bounded, so one busy box cannot starve the others
            buffer.clear();
            SocketAddress from;
            try {
                from = link.channel().receive(buffer);
            } catch (IOException e) {
                // e.g. ICMP port unreachable while the edge is down: nothing to read
                LOG.log(Level.DEBUG, "receive: " + e);
                return;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            try {
                link.receiver().accept(datagram);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "box receiver failed: " + e);
            } finally {
                Arrays.fill(datagram, (byte) 0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }
}
