package io.starconsole.edge.transport;

import io.vertx.core.net.SocketAddress;

/** What the edge does with one received datagram. Called on the edge's event loop. */
public interface DatagramHandler {

    void handle(byte[] datagram, SocketAddress sender);
}
