package io.starconsole.bench;

import io.starconsole.protocol.session.Timers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a {@link BoxFleet}'s sessions fresh as agents do: a box whose session is
 * {@link Timers#REKEY_AFTER_TIME_NANOS} old re-keys with RECONNECT (a handshake, relayed to the
 * functions as a registration), and tries again {@link #RETRY_NANOS} later if refused or unanswered. In
 * steady state that is one registration per box every two minutes: part of what our design costs the
 * database, which the seed's design (no sessions) does not pay. At most {@code perSecond} RECONNECTs
 * are started each second, oldest sessions first, as agents spread over time would send them (a fleet
 * registered in a burst would otherwise re-key in one).
 */
final class SessionKeeper implements AutoCloseable {

    static final long RETRY_NANOS = 5_000_000_000L;

    private final BoxFleet fleet;
    private final List<BoxFleet.Box> boxes;
    private final long[] lastTryNanos;
    private final Thread thread;
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean running = true;

    private final double perSecond;

    SessionKeeper(BoxFleet fleet, List<BoxFleet.Box> boxes, double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("re-keying needs a positive rate, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.fleet = fleet;
        this.boxes = boxes;
        this.lastTryNanos = new long[boxes.size()];
        thread = new Thread(this::keep, "session-keeper");
        thread.setDaemon(true);
        thread.start();
    }

    /** RECONNECT handshakes started. */
    long reconnects() {
        return reconnects.get();
    }

    private void keep() {
        double budget = 0;
        long last = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            budget = Math.min(perSecond, budget + perSecond * (now - last) / 1e9);
            last = now;
            List<Integer> due = new ArrayList<>();
            for (int i = 0; i < boxes.size(); i++) {
                BoxFleet.Box box = boxes.get(i);
                if (box.session != null && now - box.sessionSinceNanos >= Timers.REKEY_AFTER_TIME_NANOS
                        && (lastTryNanos[i] == 0 || now - lastTryNanos[i] >= RETRY_NANOS)) {
                    due.add(i);
                }
            }
            due.sort(Comparator.comparingLong(i -> boxes.get(i).sessionSinceNanos));
            for (int i : due) {
                if (budget < 1) {
                    break;
                }
                budget--;
                lastTryNanos[i] = now;
                try {
                    fleet.reconnect(boxes.get(i), now);
                    reconnects.incrementAndGet();
                } catch (IOException e) {
                    // tried again after RETRY_NANOS
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
