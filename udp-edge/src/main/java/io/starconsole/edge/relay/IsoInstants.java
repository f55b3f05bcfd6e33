package io.starconsole.edge.relay;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Instants as {@link DateTimeFormatter#ISO_INSTANT} writes them (and so as the mapper does), for
 * many instants within a few seconds of each other: the date and time of a second are formatted
 * once, and each instant adds only its fraction, in groups of three digits as ISO_INSTANT does.
 * Not thread-safe: one per batch.
 */
final class IsoInstants {

    private long second = Long.MIN_VALUE;
    /** ISO_INSTANT of {@link #second}, without its closing 'Z'. */
    private String secondText;

    String format(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond != second) {
            String whole = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond));
            secondText = whole.substring(0, whole.length() - 1);
            second = epochSecond;
        }
        int nanos = instant.getNano();
        StringBuilder text = new StringBuilder(secondText.length() + 11).append(secondText);
        if (nanos != 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                appendDigits(text, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                appendDigits(text, nanos / 1_000, 6);
            } else {
                appendDigits(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    private static void appendDigits(StringBuilder text, int value, int digits) {
        for (int divisor = (int) Math.pow(10, digits - 1); divisor > 0; divisor /= 10) {
            text.append((char) ('0' + value / divisor % 10));
        }
    }
}
