package io.starconsole.protocol.handshake;

import io.starconsole.protocol.crypto.Key;
import java.util.concurrent.ConcurrentHashMap;

/** The newest initiation timestamp accepted per box key: a replayed initiation is refused. */
final class TimestampRegistry {

    private final ConcurrentHashMap<Key, byte[]> newest = new ConcurrentHashMap<>();

    /** Records {@code timestamp} for {@code box} if it is newer than the last; false if not. */
    boolean acceptIfNewer(Key box, byte[] timestamp) {
        boolean[] accepted = {false};
        newest.compute(box, (key, previous) -> {
            if (previous == null || Tai64n.isAfter(timestamp, previous)) {
                accepted[0] = true;
                return timestamp;
            }
            return previous;
        });
        return accepted[0];
    }
}
