package io.starconsole.functions.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to the database that can cut every connection with a reset, as a database host that
 * dies or a network that drops does: the client's socket then fails with "Connection reset by
 * peer" instead of reading a clean end of stream.
 */
final class ResettingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final List<Socket> upstreams = new CopyOnWriteArrayList<>();

    ResettingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "resetting-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every relayed connection on the client's side and closes its database side. */
    void resetAll() throws IOException {
        for (Socket client : clients) {
            if (!client.isClosed()) {
                client.setSoLinger(true, 0); // close() then sends RST, not FIN
                client.close();
            }
        }
        for (Socket upstream : upstreams) {
            upstream.close();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                clients.add(client);
                upstreams.add(upstream);
                relay(client.getInputStream(), upstream.getOutputStream());
                relay(upstream.getInputStream(), client.getOutputStream());
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void relay(InputStream from, OutputStream to) {
        Thread copier = new Thread(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ended) {
                // One side went away; resetAll or close ends the other.
            }
        }, "resetting-proxy-relay");
        copier.setDaemon(true);
        copier.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        resetAll();
    }
}
