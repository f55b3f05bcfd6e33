package io.starconsole.functions.box;

import java.time.OffsetDateTime;
import java.util.List;

/** The presence batch an edge relays ({@code POST /internal/v1/presence}) and the answer. */
public final class Heartbeats {

    private Heartbeats() {
    }

    public record Batch(String edgeId, List<Heartbeat> heartbeats) {
    }

    /** One PING the edge answered: when, and from which real address. */
    public record Heartbeat(String publicKey, String realIp, Integer realPort, OffsetDateTime at) {
    }

    /**
     * {@code accepted}: heartbeats of known, accepted boxes applied; {@code boxesWithWork}: those with
     * queued commands; {@code boxesNotServed}: boxes of the batch unknown, not accepted or holding no
     * SPN IP, whose sessions the edge ends.
     */
    public record Result(int accepted, List<String> boxesWithWork, List<String> boxesNotServed) {
    }
}
