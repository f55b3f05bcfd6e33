package io.starconsole.edge.session;

import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.session.Session;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTableTest {

    @Test
    void reservedIndexes_areDistinctAcrossThreads_andNeverZero() throws Exception {
        SessionTable table = new SessionTable();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        Set<Integer> zeros = ConcurrentHashMap.newKeySet();
        int threads = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    int index = table.reserveIndex();
                    if (index == 0) {
                        zeros.add(index);
                    }
                    seen.add(index);
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(zeros).isEmpty();
        assertThat(seen).as("no index handed out twice").hasSize(threads * each);
    }

    @Test
    void put_keepsItsIndexFromLaterReservations() {
        SessionTable table = new SessionTable();
        int index = table.reserveIndex();
        Session session = new Session(index, 7, KeyPair.generate(new SecureRandom()).publicKey(), new byte[32],
                new byte[32], false, System::nanoTime, JediVersion.CURRENT);
        table.put(new EdgeSession(session, "box", new InetSocketAddress("127.0.0.1", 9), System.nanoTime(), false));

        assertThat(table.byIndex(index).boxKey()).isEqualTo("box");
        Set<Integer> later = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            later.add(table.reserveIndex());
        }
        assertThat(later).doesNotContain(index);
        later.forEach(table::releaseIndex);
        assertThat(table.size()).isEqualTo(1);
    }
}
