package io.starconsole.protocol.handshake;

import java.time.Instant;
import java.util.Arrays;

/** 12-byte TAI64N timestamps, as WireGuard sends them: 8 bytes 2^62 + 10 + Unix seconds, 4 bytes nanoseconds, big-endian. */
final class Tai64n {

    static final int SIZE_IN_BYTES = 12;
    private static final long BASE = 0x400000000000000AL;

    private Tai64n() {
    }

    static byte[] of(Instant instant) {
        byte[] out = new byte[SIZE_IN_BYTES];
        long seconds = BASE + instant.getEpochSecond();
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (seconds >>> (56 - 8 * i));
        }
        int nanos = instant.getNano();
        for (int i = 0; i < 4; i++) {
            out[8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
        return out;
    }

    static boolean isAfter(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) > 0;
    }
}
