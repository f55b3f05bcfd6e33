package io.starconsole.edge.relay;

import io.starconsole.edge.session.EdgeSession;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.session.Session;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

class SeenSessionsTest {

    private static final KeyPair PEER = KeyPair.generate(new SecureRandom());

    private static EdgeSession session(int n) {
        Session session = new Session(n + 1, 7, PEER.publicKey(), new byte[32], new byte[32], false, System::nanoTime, JediVersion.CURRENT);
        return new EdgeSession(session, "box-" + n, new InetSocketAddress("127.0.0.1", 1024 + n), System.nanoTime(), false);
    }

    private static List<EdgeSession> taken(SeenSessions seen) {
        List<EdgeSession> taken = new ArrayList<>();
        seen.takeAll(taken::add);
        return taken;
    }

    @Test
    void aBoxSeenManyTimes_isTakenOnce_andAgainOnlyWhenSeenAgain() {
        SeenSessions seen = new SeenSessions();
        EdgeSession a = session(1);
        EdgeSession b = session(2);
        seen.add(a);
        seen.add(b);
        seen.add(a);

        assertThat(taken(seen)).containsExactly(a, b);
        assertThat(a.presenceDue()).isFalse();
        assertThat(taken(seen)).isEmpty();

        seen.add(b);
        assertThat(taken(seen)).containsExactly(b);
    }

    @Test
    void moreBoxesThanTheArrays_allTaken_thenTheSwappedArraysServeAgain() {
        SeenSessions seen = new SeenSessions();
        List<EdgeSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            sessions.add(session(i));
        }
        for (int round = 0; round < 3; round++) {
            sessions.forEach(seen::add);
            assertThat(taken(seen)).containsExactlyElementsOf(sessions);
        }
    }

    @Test
    void sockets_addingWhileTaken_noBoxIsLost_andNoneTakenTwiceAtOnce() throws Exception {
        SeenSessions seen = new SeenSessions();
        int boxes = 10_000;
        List<EdgeSession> sessions = new ArrayList<>();
        for (int i = 0; i < boxes; i++) {
            sessions.add(session(i));
        }
        AtomicIntegerArray takenTimes = new AtomicIntegerArray(boxes);
        AtomicBoolean twiceInOneTake = new AtomicBoolean();
        AtomicBoolean adding = new AtomicBoolean(true);
        Thread taker = new Thread(() -> {
            while (adding.get()) {
                Set<EdgeSession> once = new HashSet<>();
                seen.takeAll(s -> {
                    if (!once.add(s)) {
                        twiceInOneTake.set(true);
                    }
                    takenTimes.incrementAndGet(s.index() - 1);
                });
            }
        });
        Thread[] sockets = new Thread[2];
        for (int t = 0; t < sockets.length; t++) {
            sockets[t] = new Thread(() -> {
                for (int round = 0; round < 50; round++) {
                    sessions.forEach(seen::add);
                }
            });
        }
        taker.start();
        for (Thread socket : sockets) {
            socket.start();
        }
        for (Thread socket : sockets) {
            socket.join();
        }
        adding.set(false);
        taker.join();
        seen.takeAll(s -> takenTimes.incrementAndGet(s.index() - 1));

        assertThat(twiceInOneTake).isFalse();
        for (int i = 0; i < boxes; i++) {
            assertThat(takenTimes.get(i)).as("box %d taken", i).isPositive();
            assertThat(sessions.get(i).presenceDue()).as("box %d left marked but not held", i).isFalse();
        }
    }
}
