package io.starconsole.edge.transport;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The edge's one event loop and its UDP socket. Session state is touched only on this loop, so it
 * needs no locks; work that finishes elsewhere (a relay call) comes back through {@link #execute}.
 */
@ApplicationScoped
public class EdgeLoop {

    private final Vertx vertx;
    private volatile DatagramSocket socket;
    private volatile Context context;

    public EdgeLoop(Vertx vertx) {
        this.vertx = vertx;
    }

    void bind(DatagramSocket socket, Context context) {
        this.context = context;
        this.socket = socket;
    }

    void unbind() {
        this.socket = null;
    }

    public boolean isBound() {
        return socket != null;
    }

    /** The bound port; -1 when not bound. */
    public int localPort() {
        DatagramSocket current = socket;
        return current == null ? -1 : current.localAddress().port();
    }

    public void send(byte[] datagram, SocketAddress to) {
        DatagramSocket current = socket;
        if (current != null) {
            current.send(Buffer.buffer(datagram), to.port(), to.host());
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
