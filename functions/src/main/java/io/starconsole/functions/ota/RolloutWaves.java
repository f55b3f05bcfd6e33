package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.command.FirmwareDeliveries;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A rollout's waves, inside the caller's transaction: a wave's boxes get their deliveries (boxes
 * already on the version count as succeeded at once); a running rollout is judged — halted when its
 * failures pass the threshold, moved to the next wave (or completed) when its current wave is done.
 */
@ApplicationScoped
public class RolloutWaves {

    private final FirmwareDeliveries deliveries;
    private final OtaConfig config;

    public RolloutWaves(FirmwareDeliveries deliveries, OtaConfig config) {
        this.deliveries = deliveries;
        this.config = config;
    }

    /** Deliveries for the boxes of this wave that have none yet (the wave's start, or late joiners). */
    Uni<Void> start(SqlClient db, long rolloutId, int wave) {
        OffsetDateTime deadline = OffsetDateTime.now(ZoneOffset.UTC).plus(config.healthDeadline());
        return db.preparedQuery("UPDATE rollout_boxes rb SET state = 'succeeded', progress_percent = 100,"
                        + " message = 'already on ' || f.version, updated_at = now()"
                        + " FROM rollouts r JOIN firmware_releases f ON f.id = r.release_id, spnclients c"
                        + " WHERE r.id = $1 AND rb.rollout_id = r.id AND rb.wave = $2 AND rb.delivery_id IS NULL"
                        + " AND rb.state = 'pending' AND c.id = rb.box_id AND c.firmware_version = f.version")
                .execute(Tuple.of(rolloutId, wave))
                .flatMap(v -> db.preparedQuery("SELECT rb.box_id, r.command_id FROM rollout_boxes rb"
                                + " JOIN rollouts r ON r.id = rb.rollout_id WHERE rb.rollout_id = $1 AND rb.wave = $2"
                                + " AND rb.delivery_id IS NULL AND rb.state = 'pending' ORDER BY rb.box_id")
                        .execute(Tuple.of(rolloutId, wave)))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    List<Integer> boxIds = new ArrayList<>();
                    rows.forEach(row -> boxIds.add(row.getInteger("box_id")));
                    long commandId = rows.iterator().next().getLong("command_id");
                    return deliveries.deliver(db, commandId, boxIds).flatMap(byBox -> db.preparedQuery(
                                    "UPDATE rollout_boxes rb SET delivery_id = u.d, deadline_at = $2, updated_at = now()"
                                            + " FROM unnest($3::int[], $4::bigint[]) AS u(b, d)"
                                            + " WHERE rb.rollout_id = $1 AND rb.box_id = u.b")
                            .execute(Tuple.of(rolloutId, deadline, byBox.keySet().toArray(new Integer[0]),
                                    byBox.values().toArray(new Long[0])))
                            .replaceWithVoid());
                });
    }

    /** Halts a running rollout: its not yet leased deliveries are cancelled (boxes already updating go on). */
    Uni<Void> halt(SqlClient db, long rolloutId, String reason) {
        return db.preparedQuery("UPDATE rollouts SET state = 'halted', halted_reason = $2, halted_at = now(),"
                        + " updated_at = now() WHERE id = $1 AND state = 'running' RETURNING command_id")
                .execute(Tuple.of(rolloutId, reason))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().voidItem()
                        : deliveries.cancelQueued(db, rows.iterator().next().getLong("command_id"),
                                "rollout halted: " + reason).replaceWithVoid());
    }

    /**
     * Resumes a halted rollout: failures so far are forgiven, the cancelled deliveries are queued
     * again; the rollout's command, for the announcement after the commit.
     */
    Uni<Long> resume(SqlClient db, long rolloutId) {
        OffsetDateTime deadline = OffsetDateTime.now(ZoneOffset.UTC).plus(config.healthDeadline());
        return db.preparedQuery("UPDATE rollouts r SET state = 'running', halted_reason = NULL, halted_at = NULL,"
                        + " updated_at = now(), forgiven_failures = (SELECT count(*) FROM rollout_boxes rb"
                        + "   WHERE rb.rollout_id = r.id AND rb.state IN " + RolloutStates.FAILURES + ")"
                        + " WHERE r.id = $1 RETURNING command_id")
                .execute(Tuple.of(rolloutId))
                .flatMap(rows -> {
                    long commandId = rows.iterator().next().getLong("command_id");
                    return db.preparedQuery("UPDATE rollout_boxes SET deadline_at = $2, updated_at = now()"
                                    + " WHERE rollout_id = $1 AND state = 'pending' AND delivery_id IS NOT NULL"
                                    + " RETURNING delivery_id")
                            .execute(Tuple.of(rolloutId, deadline))
                            .flatMap(pending -> {
                                List<Long> ids = new ArrayList<>();
                                pending.forEach(row -> ids.add(row.getLong("delivery_id")));
                                return deliveries.requeue(db, commandId, ids).replaceWith(commandId);
                            });
                });
    }

    /** What judging a rollout did, for the audit log; null when nothing changed. */
    record Step(String action, String detail) {
    }

    /**
     * Judges a running rollout (locked here): late joiners first, then the threshold over the waves so
     * far, then whether the current wave is done.
     */
    Uni<Step> judge(SqlClient db, long rolloutId) {
        return db.preparedQuery("SELECT r.id, r.target_kind, r.target_value, r.wave_percents, r.current_wave,"
                        + " r.failure_threshold_percent, r.include_late_joiners, r.forgiven_failures, f.state AS release_state"
                        + " FROM rollouts r JOIN firmware_releases f ON f.id = r.release_id"
                        + " WHERE r.id = $1 AND r.state = 'running' FOR UPDATE OF r")
                .execute(Tuple.of(rolloutId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row rollout = rows.iterator().next();
                    if (!"published".equals(rollout.getString("release_state"))) {
                        return halt(db, rolloutId, "release withdrawn").replaceWith(new Step("rollout.halted",
                                "release withdrawn"));
                    }
                    int wave = rollout.getInteger("current_wave");
                    Uni<Void> joined = rollout.getBoolean("include_late_joiners")
                            ? lateJoiners(db, rollout).flatMap(v -> start(db, rolloutId, wave))
                            : Uni.createFrom().voidItem();
                    return joined.flatMap(v -> progress(db, rollout));
                });
    }

    private Uni<Void> lateJoiners(SqlClient db, Row rollout) {
        boolean group = "group".equals(rollout.getString("target_kind"));
        return db.preparedQuery("INSERT INTO rollout_boxes (rollout_id, box_id, wave, late_joiner)"
                        + " SELECT $1, c.id, $2, true FROM spnclients c WHERE c.admission = 'accepted'"
                        + (group ? " AND c.groupname = $3" : "")
                        + " AND NOT EXISTS (SELECT 1 FROM rollout_boxes x WHERE x.rollout_id = $1 AND x.box_id = c.id)"
                        + " ORDER BY c.id ON CONFLICT DO NOTHING")
                .execute(group ? Tuple.of(rollout.getLong("id"), rollout.getInteger("current_wave"),
                        rollout.getString("target_value"))
                        : Tuple.of(rollout.getLong("id"), rollout.getInteger("current_wave")))
                .replaceWithVoid();
    }

    private Uni<Step> progress(SqlClient db, Row rollout) {
        long id = rollout.getLong("id");
        int wave = rollout.getInteger("current_wave");
        int waves = rollout.getArrayOfIntegers("wave_percents").length;
        return db.preparedQuery("SELECT count(*) AS total,"
                        + " count(*) FILTER (WHERE state IN " + RolloutStates.FINAL + ") AS done,"
                        + " count(*) FILTER (WHERE state IN " + RolloutStates.FAILURES + ") AS failures"
                        + " FROM rollout_boxes WHERE rollout_id = $1 AND wave <= $2")
                .execute(Tuple.of(id, wave))
                .flatMap(rows -> {
                    Row counts = rows.iterator().next();
                    long total = counts.getLong("total");
                    long done = counts.getLong("done");
                    long failures = counts.getLong("failures") - rollout.getInteger("forgiven_failures");
                    int threshold = rollout.getInteger("failure_threshold_percent");
                    if (failures > 0 && failures * 100 > threshold * total) {
                        String reason = "failures passed the threshold: " + failures + " of " + total
                                + " boxes (threshold " + threshold + "%)";
                        return halt(db, id, reason).replaceWith(new Step("rollout.halted", reason));
                    }
                    if (done < total || (total == 0 && wave == waves)) {
                        return Uni.createFrom().nullItem();
                    }
                    if (wave < waves) {
                        return db.preparedQuery("UPDATE rollouts SET current_wave = $2, updated_at = now() WHERE id = $1")
                                .execute(Tuple.of(id, wave + 1))
                                .flatMap(v -> start(db, id, wave + 1))
                                .replaceWith(new Step("rollout.wave_started", "wave " + (wave + 1) + " of " + waves));
                    }
                    if (rollout.getBoolean("include_late_joiners")) {
                        return Uni.createFrom().nullItem(); // stays running: boxes that join later still get it
                    }
                    return db.preparedQuery("UPDATE rollouts SET state = 'completed', updated_at = now() WHERE id = $1")
                            .execute(Tuple.of(id))
                            .replaceWith(new Step("rollout.completed", total + " boxes"));
                });
    }
}
