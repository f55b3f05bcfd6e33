package io.starconsole.edge.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The edge's home loop and its UDP sockets. The session table and everything but the PING path
 * change only on the home loop, so they need no locks; work that finishes elsewhere (a relay call)
 * comes back through {@link #execute}. Each socket is read by its own thread, which answers PINGs
 * itself and passes the rest to the home loop. Answers sent while a socket's thread handles a
 * batch of received datagrams go out through that socket, flushed once at the end of the batch.
 */
@Singleton
public class EdgeLoop {

    private final Vertx vertx;
    private volatile List<BoundSocket> sockets = List.of();
    private volatile Context context;

    public EdgeLoop(Vertx vertx) {
        this.vertx = vertx;
    }

    /** One bound socket. {@code reading} and {@code received} are written only by the socket's own thread. */
    static final class BoundSocket {
        final Channel channel;
        boolean reading;
        volatile long received;

        BoundSocket(Channel channel) {
            this.channel = channel;
        }
    }

    void bind(List<BoundSocket> bound, Context home) {
        this.context = home;
        this.sockets = List.copyOf(bound);
    }

    void unbind() {
        this.sockets = List.of();
    }

    public boolean isBound() {
        return !sockets.isEmpty();
    }

    /** The bound port; -1 when not bound. */
    public int localPort() {
        List<BoundSocket> current = sockets;
        return current.isEmpty() ? -1 : ((InetSocketAddress) current.get(0).channel.localAddress()).getPort();
    }

    /** Sockets bound to the boxes' port. */
    public int socketCount() {
        return sockets.size();
    }

    /** Datagrams received by each socket so far, in bind order. */
    public long[] receivedPerSocket() {
        return sockets.stream().mapToLong(s -> s.received).toArray();
    }

    /**
     * Sends {@code datagram}: from a socket's thread through that socket (while a batch is read the
     * flush waits for its end), from any other thread through the first socket.
     */
    public void send(byte[] datagram, InetSocketAddress to) {
        List<BoundSocket> current = sockets;
        if (current.isEmpty()) {
            return;
        }
        DatagramPacket packet = new DatagramPacket(Unpooled.wrappedBuffer(datagram), to);
        for (BoundSocket socket : current) {
            if (socket.channel.eventLoop().inEventLoop()) {
                if (socket.reading) {
                    socket.channel.write(packet, socket.channel.voidPromise());
                } else {
                    socket.channel.writeAndFlush(packet, socket.channel.voidPromise());
                }
                return;
            }
        }
        Channel first = current.get(0).channel;
        first.writeAndFlush(packet, first.voidPromise());
    }

    /** True on the home loop, where the session table may change. */
    public boolean onHomeLoop() {
        Context current = context;
        return current != null && ((ContextInternal) current).nettyEventLoop().inEventLoop();
    }

    /** Runs {@code task} on the home loop. */
    public void execute(Runnable task) {
        Context current = context;
        if (current != null) {
            current.runOnContext(ignored -> task.run());
        }
    }

    /** Runs {@code task} now when on the home loop, otherwise on it, later. */
    public void onHome(Runnable task) {
        if (onHomeLoop()) {
            task.run();
        } else {
            execute(task);
        }
    }

    /**
     * Runs {@code task} on the home loop every {@code periodMillis}. May be called before the sockets
     * are bound (start-up observers run in no fixed order): ticks before that are skipped.
     */
    public void every(long periodMillis, Runnable task) {
        vertx.setPeriodic(periodMillis, id -> execute(task));
    }
}
