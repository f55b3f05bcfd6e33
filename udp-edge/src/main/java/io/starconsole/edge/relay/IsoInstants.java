package io.starconsole.edge.relay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Instants as {@link DateTimeFormatter#ISO_INSTANT} writes them (and so as the mapper does), written
 * as ASCII into a byte array, for many instants within a few seconds of each other: the date of a
 * day is formatted once, the time of day is worked out from the second, and the fraction is written
 * in groups of three digits as ISO_INSTANT does. A presence batch's instants straddle a second, so a
 * text cached per second was formatted afresh for every other heartbeat. Not thread-safe: one per
 * batch.
 */
final class IsoInstants {

    /** The most bytes {@link #write} writes: a nine-digit year and its sign, and nine digits of fraction. */
    static final int MAX_LENGTH = 40;
    private static final int SECONDS_PER_DAY = 86_400;

    private long day = Long.MIN_VALUE;
    /** ISO_INSTANT's text of {@link #day} up to and including its 'T'. */
    private byte[] dateText;

    /** Writes {@code instant} into {@code into} from {@code at}; returns where it ends. */
    int write(Instant instant, byte[] into, int at) {
        long epochSecond = instant.getEpochSecond();
        long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        if (epochDay != day) {
            String midnight = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY));
            dateText = midnight.substring(0, midnight.indexOf('T') + 1).getBytes(StandardCharsets.US_ASCII);
            day = epochDay;
        }
        System.arraycopy(dateText, 0, into, at, dateText.length);
        int end = at + dateText.length;
        end = writeDigits(secondOfDay / 3600, 2, into, end);
        into[end++] = ':';
        end = writeDigits(secondOfDay / 60 % 60, 2, into, end);
        into[end++] = ':';
        end = writeDigits(secondOfDay % 60, 2, into, end);
        int nanos = instant.getNano();
        if (nanos != 0) {
            into[end++] = '.';
            if (nanos % 1_000_000 == 0) {
                end = writeDigits(nanos / 1_000_000, 3, into, end);
            } else if (nanos % 1_000 == 0) {
                end = writeDigits(nanos / 1_000, 6, into, end);
            } else {
                end = writeDigits(nanos, 9, into, end);
            }
        }
        into[end++] = 'Z';
        return end;
    }

    /** {@code value} (not negative) in exactly {@code digits} decimal digits, leading zeros included; returns where it ends. */
    static int writeDigits(int value, int digits, byte[] into, int at) {
        int remaining = value;
        for (int i = at + digits - 1; i >= at; i--) {
            into[i] = (byte) ('0' + remaining % 10);
            remaining /= 10;
        }
        return at + digits;
    }
}
