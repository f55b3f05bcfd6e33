package io.starconsole.edge.relay;

import io.starconsole.edge.session.EdgeSession;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The sessions whose boxes sent a PING since the last presence hand-over, each once (its session's
 * flag says it is in). Filled by the sockets' threads; taken by one thread at a time. Two arrays,
 * swapped and reused, not a queue: a queue's nodes lived up to an interval, across the young
 * collections of a keepalive storm (each collection had to copy them; bench/RESULTS.md, session 4),
 * and visiting every session of the table instead cost a cache miss per session each interval
 * (session 7).
 */
final class SeenSessions {

    private EdgeSession[] seen = new EdgeSession[1024];
    private int count;
    private EdgeSession[] spare = new EdgeSession[1024];

    /** On a socket's thread: the box of {@code session} was seen; the first time since it was last taken adds it. */
    void add(EdgeSession session) {
        if (session.markPresenceDue()) {
            synchronized (this) {
                if (count == seen.length) {
                    seen = Arrays.copyOf(seen, 2 * count);
                }
                seen[count++] = session;
            }
        }
    }

    /**
     * Hands each session seen since the last call to {@code action}, its flag cleared first (a PING
     * after that adds it again, for the next call), and forgets them. One caller at a time.
     */
    void takeAll(Consumer<EdgeSession> action) {
        EdgeSession[] taken;
        int taking;
        synchronized (this) {
            taken = seen;
            taking = count;
            seen = spare;
            count = 0;
        }
        for (int i = 0; i < taking; i++) {
            EdgeSession session = taken[i];
            taken[i] = null;
            session.clearPresenceDue();
            action.accept(session);
        }
        synchronized (this) {
            spare = taken; // handed out again by the next call: one pair of arrays, no garbage
        }
    }
}
