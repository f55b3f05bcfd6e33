package io.starconsole.edge.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/** What the edge does with one received datagram; replies go out through the given sender. */
public interface DatagramHandler {

    void handle(Buffer datagram, SocketAddress sender, DatagramSender replies);

    /** Sends one datagram back to a box. */
    interface DatagramSender {
        void send(Buffer datagram, SocketAddress to);
    }
}
