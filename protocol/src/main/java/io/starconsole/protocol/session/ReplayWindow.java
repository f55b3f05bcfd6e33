package io.starconsole.protocol.session;

import java.util.Arrays;

/**
 * A sliding window of the last {@value #WINDOW_SIZE} counters (RFC 6479 style, one bit per counter
 * in 32 longs). Counters above the greatest seen are accepted and slide the window; counters inside
 * it are accepted once; older ones are refused.
 */
public final class ReplayWindow {

    public static final int WINDOW_SIZE = 2048;
    private static final int WORDS = WINDOW_SIZE / Long.SIZE;

    private final long[] bitmap = new long[WORDS];
    private long greatest = -1;

    /** Whether {@code counter} would be accepted; changes nothing (checked before decryption). */
    public synchronized boolean mayAccept(long counter) {
        if (counter < 0) {
            return false;
        }
        if (counter > greatest) {
            return true;
        }
        if (greatest - counter >= WINDOW_SIZE) {
            return false;
        }
        return (bitmap[word(counter)] & bit(counter)) == 0;
    }

    /** Marks {@code counter} seen (after decryption); false if it was not acceptable. */
    public synchronized boolean accept(long counter) {
        if (!mayAccept(counter)) {
            return false;
        }
        if (counter > greatest) {
            slideTo(counter);
        }
        bitmap[word(counter)] |= bit(counter);
        return true;
    }

    private void slideTo(long counter) {
        if (greatest < 0 || counter - greatest >= WINDOW_SIZE) {
            Arrays.fill(bitmap, 0L);
        } else {
            for (long c = greatest + 1; c <= counter; ) {
                if ((c & 63) == 0 && counter - c >= 63) {
                    bitmap[word(c)] = 0L;
                    c += 64;
                } else {
                    bitmap[word(c)] &= ~bit(c);
                    c++;
                }
            }
        }
        greatest = counter;
    }

    private static int word(long counter) {
        return (int) ((counter >>> 6) & (WORDS - 1));
    }

    private static long bit(long counter) {
        return 1L << (counter & 63);
    }
}
