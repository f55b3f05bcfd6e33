package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.command.CommandArguments;
import io.starconsole.functions.command.DeliveryNotices;
import io.starconsole.functions.command.FirmwareDeliveries;
import io.starconsole.functions.command.Targets;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollouts for operators: start (every box of the target gets its wave; the first wave its
 * deliveries), halt, resume, and the views. The waves move on in {@link RolloutEngine}.
 */
@ApplicationScoped
public class RolloutService {

    public static final int MAX_WAVES = 10;
    private static final int MAX_TRANSACTION_ATTEMPTS = 3;

    private final Pool pool;
    private final OtaKeys keys;
    private final Targets targets;
    private final FirmwareDeliveries deliveries;
    private final RolloutWaves waves;
    private final AuditLog audit;
    private final DeliveryNotices notices;

    public RolloutService(Pool pool, OtaKeys keys, Targets targets, FirmwareDeliveries deliveries, RolloutWaves waves,
                          AuditLog audit, DeliveryNotices notices) {
        this.notices = notices;
        this.pool = pool;
        this.keys = keys;
        this.targets = targets;
        this.deliveries = deliveries;
        this.waves = waves;
        this.audit = audit;
    }

    /** {@code POST /api/v1/rollouts}. */
    public record StartRequest(Long releaseId, Targets.Spec target, List<Integer> waves, Integer failureThresholdPercent,
                               Boolean includeLateJoiners, Boolean force) {
    }

    record Checked(long releaseId, Targets.Target target, List<Integer> waves, int threshold, boolean lateJoiners,
                   boolean force) {
    }

    static Checked check(StartRequest request) {
        if (request == null) {
            throw ApiException.badField("releaseId", "a JSON body is required");
        }
        if (request.releaseId() == null) {
            throw ApiException.badField("releaseId", "releaseId is required");
        }
        Targets.Target target = Targets.check(request.target(), "target");
        List<Integer> percents = request.waves() == null || request.waves().isEmpty() ? List.of(100) : request.waves();
        if (percents.size() > MAX_WAVES) {
            throw ApiException.badField("waves", "at most " + MAX_WAVES + " waves");
        }
        int previous = 0;
        for (Integer percent : percents) {
            if (percent == null || percent <= previous || percent > 100) {
                throw ApiException.badField("waves", "waves are percentages of the target's boxes, ascending, 1 to 100");
            }
            previous = percent;
        }
        if (previous != 100) {
            throw ApiException.badField("waves", "the last wave must be 100");
        }
        int threshold = request.failureThresholdPercent() == null ? 10 : request.failureThresholdPercent();
        if (threshold < 0 || threshold > 100) {
            throw ApiException.badField("failureThresholdPercent", "failureThresholdPercent must be between 0 and 100");
        }
        boolean lateJoiners = Boolean.TRUE.equals(request.includeLateJoiners());
        if (lateJoiners && "box".equals(target.kind())) {
            throw ApiException.badField("includeLateJoiners", "late joiners are for group and all-boxes targets");
        }
        return new Checked(request.releaseId(), target, List.copyOf(percents), threshold, lateJoiners,
                Boolean.TRUE.equals(request.force()));
    }

    public Uni<RolloutView> start(StartRequest request, Caller caller) {
        keys.require();
        Checked checked = check(request);
        return TransientFailures.retry(() -> Transactions.run(pool, db -> published(db, checked.releaseId())
                                .flatMap(version -> boxes(db, checked.target())
                                        .flatMap(boxIds -> insert(db, checked, boxIds, caller)))),
                        MAX_TRANSACTION_ATTEMPTS)
                .flatMap(id -> audit.record(caller.actor(), "rollout.started", "rollout:" + id, detail(checked),
                        caller.source()).flatMap(v -> find(id)));
    }

    private static Map<String, Object> detail(Checked checked) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("releaseId", checked.releaseId());
        detail.put("target", checked.target().kind() + (checked.target().value() == null ? "" : ":" + checked.target().value()));
        detail.put("waves", checked.waves());
        detail.put("failureThresholdPercent", checked.threshold());
        detail.put("includeLateJoiners", checked.lateJoiners());
        detail.put("force", checked.force());
        return detail;
    }

    /** The release's version, when it is published; 404 or 409 otherwise. */
    static Uni<String> published(SqlClient db, long releaseId) {
        return db.preparedQuery("SELECT version, state FROM firmware_releases WHERE id = $1").execute(Tuple.of(releaseId))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("release " + releaseId);
                    }
                    Row row = rows.iterator().next();
                    if (!"published".equals(row.getString("state"))) {
                        throw ApiException.conflict("release_withdrawn", "release " + releaseId + " is withdrawn");
                    }
                    return row.getString("version");
                });
    }

    /** The target's accepted boxes now, by id. */
    private Uni<List<Integer>> boxes(SqlClient db, Targets.Target target) {
        if ("box".equals(target.kind())) {
            return targets.box(db, target.value(), "target").onItem().transform(box -> List.of(box.id()));
        }
        boolean group = "group".equals(target.kind());
        return db.preparedQuery("SELECT id FROM spnclients WHERE admission = 'accepted'"
                        + (group ? " AND groupname = $1" : "") + " ORDER BY id")
                .execute(group ? Tuple.of(target.value()) : Tuple.tuple())
                .onItem().transform(rows -> {
                    List<Integer> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getInteger("id")));
                    return ids;
                });
    }

    private Uni<Long> insert(SqlClient db, Checked checked, List<Integer> boxIds, Caller caller) {
        if (boxIds.isEmpty() && !checked.lateJoiners()) {
            throw ApiException.conflict("no_boxes", "the target reaches no box (set includeLateJoiners to wait for boxes"
                    + " that join later)");
        }
        String targetValue = "box".equals(checked.target().kind()) ? Integer.toString(boxIds.get(0))
                : checked.target().value();
        return deliveries.createCommand(db, checked.target().kind(), targetValue,
                        new CommandArguments.Firmware(checked.releaseId(), checked.force()), caller.actor(), caller.source())
                .flatMap(commandId -> db.preparedQuery("INSERT INTO rollouts (release_id, target_kind, target_value,"
                                + " wave_percents, current_wave, failure_threshold_percent, include_late_joiners, force,"
                                + " command_id, created_by) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9) RETURNING id")
                        .execute(Tuple.from(Arrays.asList(checked.releaseId(), checked.target().kind(),
                                targetValue, checked.waves().toArray(new Integer[0]),
                                checked.threshold(), checked.lateJoiners(), checked.force(), commandId, caller.actor())))
                        .onItem().transform(rows -> rows.iterator().next().getLong("id")))
                .flatMap(id -> db.preparedQuery("INSERT INTO rollout_boxes (rollout_id, box_id, wave)"
                                        + " SELECT $1, b, w FROM unnest($2::int[], $3::int[]) AS u(b, w)")
                                .execute(Tuple.of(id, boxIds.toArray(new Integer[0]), waveOfEach(boxIds.size(),
                                        checked.waves())))
                        .flatMap(v -> waves.start(db, id, 1))
                        .replaceWith(id));
    }

    /** Wave k (from 1) covers the first ceil(p_k% of n) boxes. */
    static Integer[] waveOfEach(int n, List<Integer> percents) {
        Integer[] waveOf = new Integer[n];
        int from = 0;
        for (int k = 0; k < percents.size(); k++) {
            int upTo = (int) Math.min(n, (n * (long) percents.get(k) + 99) / 100);
            for (int i = from; i < upTo; i++) {
                waveOf[i] = k + 1;
            }
            from = Math.max(from, upTo);
        }
        return waveOf;
    }

    /** {@code POST /api/v1/rollouts/{id}/halt}. */
    public Uni<RolloutView> halt(long id, Caller caller) {
        keys.require();
        String reason = "halted by " + caller.actor();
        return Transactions.run(pool, db -> lock(db, id).flatMap(row -> {
                    if (!"running".equals(row.getString("state"))) {
                        throw ApiException.conflict("rollout_not_running", "rollout " + id + " is " + row.getString("state"));
                    }
                    return waves.halt(db, id, reason);
                }))
                .flatMap(v -> auditHalts(List.of(id), reason, caller))
                .flatMap(v -> find(id));
    }

    /** {@code POST /api/v1/rollouts/{id}/resume}: failures so far are forgiven; the threshold counts new ones. */
    public Uni<RolloutView> resume(long id, Caller caller) {
        keys.require();
        return Transactions.run(pool, db -> lock(db, id).flatMap(row -> {
                    if (!"halted".equals(row.getString("state"))) {
                        throw ApiException.conflict("rollout_not_halted", "rollout " + id + " is " + row.getString("state"));
                    }
                    return published(db, row.getLong("release_id")).flatMap(version -> waves.resume(db, id));
                }))
                .invoke(commandId -> notices.announceQueued(List.of(commandId)))
                .flatMap(v -> audit.record(caller.actor(), "rollout.resumed", "rollout:" + id, null, caller.source()))
                .flatMap(v -> find(id));
    }

    private static Uni<Row> lock(SqlClient db, long id) {
        return db.preparedQuery("SELECT state, release_id FROM rollouts WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("rollout " + id);
                    }
                    return rows.iterator().next();
                });
    }

    /** Halts the running rollouts of a release (it was withdrawn); their ids. */
    Uni<List<Long>> haltAllOf(SqlClient db, long releaseId, String reason) {
        return db.preparedQuery("SELECT id FROM rollouts WHERE release_id = $1 AND state = 'running' ORDER BY id FOR UPDATE")
                .execute(Tuple.of(releaseId))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (long id : ids) {
                        chain = chain.flatMap(v -> waves.halt(db, id, reason));
                    }
                    return chain.replaceWith(ids);
                });
    }

    Uni<Void> auditHalts(List<Long> ids, String reason, Caller caller) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (long id : ids) {
            chain = chain.flatMap(v -> audit.record(caller.actor(), "rollout.halted", "rollout:" + id,
                    Map.of("reason", reason), caller.source()));
        }
        return chain;
    }

    public Uni<RolloutView> find(long id) {
        return pool.preparedQuery(RolloutView.SELECT + " WHERE r.id = $1" + RolloutView.GROUP).execute(Tuple.of(id))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("rollout " + id);
                    }
                    return RolloutView.from(rows.iterator().next());
                });
    }

    /** Newest first, optionally of one release or state. */
    public Uni<Page<RolloutView>> list(Long releaseId, String state, Page.Request page) {
        String where = " WHERE ($1::bigint IS NULL OR r.release_id = $1) AND ($2::text IS NULL OR r.state = $2)";
        return pool.preparedQuery("SELECT count(*) FROM rollouts r" + where).execute(Tuple.of(releaseId, state))
                .flatMap(count -> pool.preparedQuery(RolloutView.SELECT + where + RolloutView.GROUP
                                + " ORDER BY r.id DESC LIMIT $3 OFFSET $4")
                        .execute(Tuple.of(releaseId, state, page.size(), page.offset()))
                        .onItem().transform(rows -> {
                            List<RolloutView> items = new ArrayList<>();
                            rows.forEach(row -> items.add(RolloutView.from(row)));
                            return new Page<>(items, count.iterator().next().getLong(0), page.page(), page.size());
                        }));
    }

    /** One page of the rollout's boxes by box id, optionally in one state. */
    public Uni<Page<RolloutView.Box>> boxes(long id, String state, Page.Request page) {
        String where = " WHERE rb.rollout_id = $1 AND ($2::text IS NULL OR rb.state = $2)";
        return find(id).flatMap(rollout -> pool.preparedQuery("SELECT count(*) FROM rollout_boxes rb" + where)
                .execute(Tuple.of(id, state))
                .flatMap(count -> pool.preparedQuery("SELECT rb.box_id, c.publickey, c.spnbox_id, rb.wave, rb.state,"
                                + " rb.progress_percent, rb.message, rb.late_joiner, rb.updated_at FROM rollout_boxes rb"
                                + " JOIN spnclients c ON c.id = rb.box_id" + where + " ORDER BY rb.box_id LIMIT $3 OFFSET $4")
                        .execute(Tuple.of(id, state, page.size(), page.offset()))
                        .onItem().transform(rows -> {
                            List<RolloutView.Box> items = new ArrayList<>();
                            rows.forEach(row -> items.add(RolloutView.Box.from(row)));
                            return new Page<>(items, count.iterator().next().getLong(0), page.page(), page.size());
                        })));
    }
}
