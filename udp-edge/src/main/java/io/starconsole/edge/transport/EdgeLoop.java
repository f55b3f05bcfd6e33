package io.starconsole.edge.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetSocketAddress;

/**
 * The edge's one event loop and its UDP socket. Session state is touched only on this loop, so it
 * needs no locks; work that finishes elsewhere (a relay call) comes back through {@link #execute}.
 * Answers sent while the loop handles a batch of received datagrams are flushed once, at the end
 * of the batch.
 */
@ApplicationScoped
public class EdgeLoop {

    private final Vertx vertx;
    private volatile Channel channel;
    private volatile Context context;
    /** True while the loop handles received datagrams: sends are then flushed at the end of the batch. */
    private boolean reading;

    public EdgeLoop(Vertx vertx) {
        this.vertx = vertx;
    }

    void bind(Channel channel, Context context) {
        this.context = context;
        this.channel = channel;
    }

    void unbind() {
        this.channel = null;
    }

    public boolean isBound() {
        return channel != null;
    }

    /** The bound port; -1 when not bound. */
    public int localPort() {
        Channel current = channel;
        return current == null ? -1 : ((InetSocketAddress) current.localAddress()).getPort();
    }

    /** Sends {@code datagram}; on the loop, while a batch is read, the flush waits for its end. */
    public void send(byte[] datagram, InetSocketAddress to) {
        Channel current = channel;
        if (current == null) {
            return;
        }
        DatagramPacket packet = new DatagramPacket(Unpooled.wrappedBuffer(datagram), to);
        if (reading && current.eventLoop().inEventLoop()) {
            current.write(packet, current.voidPromise());
        } else {
            current.writeAndFlush(packet, current.voidPromise());
        }
    }

    /** Called by the listener around each batch of received datagrams, on the loop. */
    void readBatch(boolean started) {
        reading = started;
        Channel current = channel;
        if (!started && current != null) {
            current.flush();
        }
    }

    /** Runs {@code task} on the edge's loop. */
    public void execute(Runnable task) {
        Context current = context;
        if (current != null) {
            current.runOnContext(ignored -> task.run());
        }
    }

    /**
     * Runs {@code task} on the loop every {@code periodMillis}. May be called before the socket is
     * bound (start-up observers run in no fixed order): ticks before that are skipped.
     */
    public void every(long periodMillis, Runnable task) {
        vertx.setPeriodic(periodMillis, id -> execute(task));
    }
}
