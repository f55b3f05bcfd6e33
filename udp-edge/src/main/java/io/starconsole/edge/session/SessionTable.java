package io.starconsole.edge.session;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge's sessions, by the index the edge chose for each (the receiver index of the box's
 * datagrams) and by box key. At most one session per box: a new handshake replaces the old one.
 * Changed only on the edge's home loop; the sockets' threads look sessions up by index, so that map
 * is concurrent.
 */
@ApplicationScoped
public class SessionTable {

    private final Map<Integer, EdgeSession> byIndex = new ConcurrentHashMap<>();
    private final Map<String, EdgeSession> byBox = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A random index no live session uses (0 is never used, so it can mean "none"). */
    public int freshIndex() {
        int index;
        do {
            index = random.nextInt();
        } while (index == 0 || byIndex.containsKey(index));
        return index;
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
