package io.starconsole.edge.transport;

import java.net.InetSocketAddress;

/** What the edge does with one received datagram. Called on the edge's event loop. */
public interface DatagramHandler {

    void handle(byte[] datagram, InetSocketAddress sender);
}
