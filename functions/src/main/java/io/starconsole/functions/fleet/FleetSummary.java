package io.starconsole.functions.fleet;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The fleet at a glance: box counts by presence and admission, the latest presence transitions,
 * failed command deliveries of the last day and the number of online boxes over the last hours.
 */
public record FleetSummary(long online, long offline, long pending, long rejected, long total,
                           List<Transition> recentTransitions, long failedCommands,
                           List<OnlineAt> onlineOverTime) {

    /** One presence or address event of a box. */
    public record Transition(int boxId, String idString, String kind, OffsetDateTime at, String realIp) {
    }

    /** How many boxes were online at the end of a time bucket. */
    public record OnlineAt(OffsetDateTime at, long online) {
    }
}
