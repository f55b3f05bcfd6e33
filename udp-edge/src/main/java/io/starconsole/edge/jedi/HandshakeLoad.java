package io.starconsole.edge.jedi;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Whether the edge is under load, so that boxes must first fetch a cookie (mac2): more handshakes
 * than {@code perSecondLimit} in the current or the previous second, or more registrations waiting
 * for the functions than {@code inFlightLimit}.
 *
 * <p>Only initiations that cost an X25519 count ({@link #recordCostly}): an initiation answered with
 * a cookie reply costs a MAC, as junk refused by mac1 does. Counting cookie replies too made cookie
 * mode feed itself: every box under it sends two initiations (the one that gets the cookie, then
 * the one with mac2), so the count doubled as soon as cookies started and held the edge in cookie
 * mode at half the rate that had started it. Cookies stay a DoS defence: a flood whose initiations
 * pass mac1 costs X25519 and is counted until cookies are required, and then costs MACs only.
 */
final class HandshakeLoad {

    private final int perSecondLimit;
    private final int inFlightLimit;
    private final IntSupplier inFlight;
    private final LongSupplier nanoClock;
    private long second;
    private int current;
    private int previous;

    HandshakeLoad(int perSecondLimit, int inFlightLimit, IntSupplier inFlight, LongSupplier nanoClock) {
        this.perSecondLimit = perSecondLimit;
        this.inFlightLimit = inFlightLimit;
        this.inFlight = inFlight;
        this.nanoClock = nanoClock;
    }

    /** An initiation that got as far as X25519 (answered, refused, or failing authentication). */
    synchronized void recordCostly() {
        roll(nanoClock.getAsLong());
        current++;
    }

    /** Costly handshakes per second: the larger of the current and the previous second. */
    synchronized int perSecond() {
        roll(nanoClock.getAsLong());
        return Math.max(current, previous);
    }

    boolean underLoad() {
        return perSecond() > perSecondLimit || inFlight.getAsInt() > inFlightLimit;
    }

    private void roll(long nowNanos) {
        long now = nowNanos / 1_000_000_000L;
        if (now != second) {
            previous = now == second + 1 ? current : 0;
            current = 0;
            second = now;
        }
    }
}
