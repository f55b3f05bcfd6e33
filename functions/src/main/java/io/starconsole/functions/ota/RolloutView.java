package io.starconsole.functions.ota;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** A rollout with its progress: how many of its boxes are in each state. */
public record RolloutView(long id, long releaseId, String model, String version, Target target, List<Integer> waves,
                          int currentWave, String state, int failureThresholdPercent, boolean includeLateJoiners,
                          boolean force, Counts counts, String haltedReason, Long commandId, String createdBy,
                          OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public record Target(String kind, String value) {
    }

    public record Counts(long total, long pending, long downloading, long verifying, long installing, long rebooting,
                         long succeeded, long failed, long rolledBack) {
    }

    /** Rollouts (r) with their release (f) and per-state counts of their boxes (rb), grouped by rollout. */
    static final String SELECT = "SELECT r.id, r.release_id, f.model, f.version, r.target_kind, r.target_value,"
            + " r.wave_percents, r.current_wave, r.state, r.failure_threshold_percent, r.include_late_joiners, r.force,"
            + " r.halted_reason, r.command_id, r.created_by, r.created_at, r.updated_at, count(rb.box_id) AS total,"
            + String.join(",", java.util.stream.Stream.of(RolloutStates.ALL).map(RolloutView::count).toList())
            + " FROM rollouts r JOIN firmware_releases f ON f.id = r.release_id"
            + " LEFT JOIN rollout_boxes rb ON rb.rollout_id = r.id ";
    static final String GROUP = " GROUP BY r.id, f.id";

    private static String count(String state) {
        return " count(rb.box_id) FILTER (WHERE rb.state = '" + state + "') AS n_" + state;
    }

    static RolloutView from(Row row) {
        Counts counts = new Counts(row.getLong("total"), row.getLong("n_pending"), row.getLong("n_downloading"),
                row.getLong("n_verifying"), row.getLong("n_installing"), row.getLong("n_rebooting"),
                row.getLong("n_succeeded"), row.getLong("n_failed"), row.getLong("n_rolled_back"));
        return new RolloutView(row.getLong("id"), row.getLong("release_id"), row.getString("model"),
                row.getString("version"), new Target(row.getString("target_kind"), row.getString("target_value")),
                Arrays.asList(row.getArrayOfIntegers("wave_percents")), row.getInteger("current_wave"),
                row.getString("state"), row.getInteger("failure_threshold_percent"),
                row.getBoolean("include_late_joiners"), row.getBoolean("force"), counts, row.getString("halted_reason"),
                row.getLong("command_id"), row.getString("created_by"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }

    /** One box of a rollout. */
    public record Box(int boxId, String publicKey, String idString, int wave, String state, Integer progressPercent,
                      String message, boolean lateJoiner, OffsetDateTime updatedAt) {
        static Box from(Row row) {
            return new Box(row.getInteger("box_id"), row.getString("publickey"), row.getString("spnbox_id"),
                    row.getInteger("wave"), row.getString("state"),
                    row.getValue("progress_percent") == null ? null : row.getInteger("progress_percent"),
                    row.getString("message"), row.getBoolean("late_joiner"), row.getOffsetDateTime("updated_at"));
        }
    }
}
