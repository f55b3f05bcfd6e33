package io.starconsole.edge.session;

import io.starconsole.protocol.session.Session;
import java.net.InetSocketAddress;

/**
 * One box as the edge sees it: its secure session, its key (base64, as the registry names it),
 * where its datagrams come from and when it last spoke. Touched only on the edge's event loop.
 */
public final class EdgeSession {

    private final Session session;
    private final String boxKey;
    private InetSocketAddress address;
    private long lastSeenNanos;
    private boolean commandsPending;
    private boolean presenceDue;

    public EdgeSession(Session session, String boxKey, InetSocketAddress address, long nowNanos, boolean commandsPending) {
        this.session = session;
        this.boxKey = boxKey;
        this.address = address;
        this.lastSeenNanos = nowNanos;
        this.commandsPending = commandsPending;
    }

    public Session session() {
        return session;
    }

    public int index() {
        return session.localIndex();
    }

    public String boxKey() {
        return boxKey;
    }

    public InetSocketAddress address() {
        return address;
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    public boolean commandsPending() {
        return commandsPending;
    }

    public void commandsPending(boolean pending) {
        this.commandsPending = pending;
    }

    /** True while this box's presence waits for the next heartbeat batch. */
    public boolean presenceDue() {
        return presenceDue;
    }

    public void presenceDue(boolean due) {
        this.presenceDue = due;
    }

    /** Records an authenticated datagram; the box may have moved (NAT rebinding, new uplink). */
    public void touch(InetSocketAddress from, long nowNanos) {
        this.lastSeenNanos = nowNanos;
        if (!from.equals(address)) {
            this.address = from;
        }
    }
}
