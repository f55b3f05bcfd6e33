package io.starconsole.edge.session;

import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge's sessions, by the index the edge chose for each (the receiver index of the box's
 * datagrams) and by box key. At most one session per box: a new handshake replaces the old one.
 * Sessions are added and removed only on the edge's home loop; the sockets' threads look them up by
 * index or box and reserve indexes for the handshakes they answer, so those are concurrent.
 */
@Singleton
public class SessionTable {

    private final Map<Integer, EdgeSession> byIndex = new ConcurrentHashMap<>();
    /** Written on the home loop only; read by the sockets' threads too (a RECONNECT finds its box's session). */
    private final Map<String, EdgeSession> byBox = new ConcurrentHashMap<>();
    /** Indexes handed to handshakes being answered, until their session is added or refused. */
    private final Set<Integer> reserved = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    /**
     * A random index no live session uses and no other handshake holds (0 is never used, so it can
     * mean "none"); any thread. Held until {@link #put} adds its session or {@link #releaseIndex}.
     */
    public int reserveIndex() {
        while (true) {
            int index = random.nextInt();
            // reserve first, then look: put() adds to byIndex before it drops the reservation
            if (index != 0 && reserved.add(index)) {
                if (!byIndex.containsKey(index)) {
                    return index;
                }
                reserved.remove(index);
            }
        }
    }

    /** Gives back an index from {@link #reserveIndex} whose handshake made no session. */
    public void releaseIndex(int index) {
        reserved.remove(index);
    }

    public EdgeSession byIndex(int index) {
        return byIndex.get(index);
    }

    public EdgeSession byBox(String boxKey) {
        return byBox.get(boxKey);
    }

    /** Adds the session, ending the box's previous one, if any. */
    public void put(EdgeSession session) {
        EdgeSession previous = byBox.put(session.boxKey(), session);
        if (previous != null) {
            byIndex.remove(previous.index());
            previous.session().destroy();
        }
        byIndex.put(session.index(), session);
        reserved.remove(session.index());
    }

    public void remove(EdgeSession session) {
        if (byIndex.remove(session.index()) != null) {
            byBox.remove(session.boxKey(), session);
            session.session().destroy();
        }
    }

    /** Ends sessions that have been silent since {@code idleSinceNanos} or whose keys expired; returns them. */
    public List<EdgeSession> sweep(long nowNanos, long idleSinceNanos) {
        List<EdgeSession> removed = new ArrayList<>();
        Iterator<EdgeSession> it = byIndex.values().iterator();
        while (it.hasNext()) {
            EdgeSession s = it.next();
            if (s.lastSeenNanos() - idleSinceNanos < 0 || s.session().isExpired(nowNanos)) {
                it.remove();
                byBox.remove(s.boxKey(), s);
                s.session().destroy();
                removed.add(s);
            }
        }
        return removed;
    }

    public int size() {
        return byIndex.size();
    }
}
