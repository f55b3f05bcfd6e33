package io.starconsole.edge.session;

import io.starconsole.protocol.session.Session;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * One box as the edge sees it: its secure session, its key (base64, as the registry names it),
 * where its datagrams come from and when it last spoke. Touched by the thread of the socket its
 * datagrams come in on (PING) and by the edge's home loop (everything else), so its fields are
 * volatile.
 */
public final class EdgeSession {

    private static final VarHandle PRESENCE_DUE;

    static {
        try {
            PRESENCE_DUE = MethodHandles.lookup().findVarHandle(EdgeSession.class, "presenceDue", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Session session;
    private final String boxKey;
    private volatile InetSocketAddress address;
    private volatile long lastSeenNanos;
    private volatile boolean commandsPending;
    private volatile boolean presenceDue;
    /** When the functions last admitted this box through this edge (carried over by re-keys answered here). */
    private final long admittedAtNanos;
    /**
     * Digest of the box information the functions then answered OK to, or {@link #NOT_REKEYABLE_HERE}:
     * a RECONNECT with the same information may be answered by the edge ({@code RekeysAtEdge}).
     */
    private final long admittedInfoDigest;

    /** {@link #admittedInfoDigest()} of a session whose re-keying must go to the functions. */
    public static final long NOT_REKEYABLE_HERE = 0;

    public EdgeSession(Session session, String boxKey, InetSocketAddress address, long nowNanos, boolean commandsPending) {
        this(session, boxKey, address, nowNanos, commandsPending, nowNanos, NOT_REKEYABLE_HERE);
    }

    public EdgeSession(Session session, String boxKey, InetSocketAddress address, long nowNanos, boolean commandsPending,
                       long admittedAtNanos, long admittedInfoDigest) {
        this.session = session;
        this.boxKey = boxKey;
        this.address = address;
        this.lastSeenNanos = nowNanos;
        this.commandsPending = commandsPending;
        this.admittedAtNanos = admittedAtNanos;
        this.admittedInfoDigest = admittedInfoDigest;
    }

    public long admittedAtNanos() {
        return admittedAtNanos;
    }

    public long admittedInfoDigest() {
        return admittedInfoDigest;
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

    /**
     * Marks this box's presence as waiting for the next heartbeat batch; true for the one caller
     * that changed it (read first: most PINGs find it set, and then write nothing). Atomic: the
     * box's datagrams may come in on two sockets at once after its address changed.
     */
    public boolean markPresenceDue() {
        return !presenceDue && PRESENCE_DUE.compareAndSet(this, false, true);
    }

    /** Seen since its presence was last handed over. */
    public boolean presenceDue() {
        return presenceDue;
    }

    public void clearPresenceDue() {
        presenceDue = false;
    }

    /** Records an authenticated datagram; the box may have moved (NAT rebinding, new uplink). */
    public void touch(InetSocketAddress from, long nowNanos) {
        this.lastSeenNanos = nowNanos;
        if (!from.equals(address)) {
            this.address = from;
        }
    }
}
