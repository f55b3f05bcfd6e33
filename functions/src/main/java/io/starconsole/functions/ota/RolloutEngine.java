package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.command.FirmwareDeliveries;
import io.starconsole.functions.database.Transactions;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The periodic rollout step (the scheduler, or {@code POST /internal/v1/housekeeping}): boxes past
 * their health deadline fail, every running rollout is judged (late joiners, threshold, next wave),
 * expired download tokens go. Safe on several instances: each rollout is judged under its row lock.
 */
@ApplicationScoped
public class RolloutEngine {

    static final String SYSTEM = "system";
    private static final int MAX_TRANSACTION_ATTEMPTS = 3;

    private final Pool pool;
    private final RolloutWaves waves;
    private final FirmwareDeliveries deliveries;
    private final AuditLog audit;

    public RolloutEngine(Pool pool, RolloutWaves waves, FirmwareDeliveries deliveries, AuditLog audit) {
        this.pool = pool;
        this.waves = waves;
        this.deliveries = deliveries;
        this.audit = audit;
    }

    /** One step at {@code now}; how many boxes and rollouts changed. */
    public Uni<Integer> tick(OffsetDateTime now) {
        return deadlines(now).flatMap(failed -> pool.preparedQuery("SELECT id FROM rollouts WHERE state = 'running'"
                        + " ORDER BY id").execute()
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    Uni<Integer> chain = Uni.createFrom().item(failed);
                    for (long id : ids) {
                        chain = chain.flatMap(n -> judge(id).onItem().transform(step -> step == null ? n : n + 1));
                    }
                    return chain;
                }))
                .call(n -> pool.preparedQuery("DELETE FROM ota_download_tokens WHERE expires_at <= $1")
                        .execute(Tuple.of(now)));
    }

    /** Boxes not heard of by their deadline fail; a delivery they never leased is cancelled. */
    Uni<Integer> deadlines(OffsetDateTime now) {
        return TransientFailures.retry(() -> Transactions.run(pool, db -> db.preparedQuery(
                        "UPDATE rollout_boxes rb SET state = 'failed', updated_at = now(), message = CASE"
                                + " WHEN rb.registered_on_version_at IS NULL THEN 'did not come back on ' || f.version"
                                + " ELSE 'came back on ' || f.version || ' but sent no heartbeat' END"
                                + " || ' within the health deadline'"
                                + " FROM rollouts r JOIN firmware_releases f ON f.id = r.release_id"
                                + " WHERE r.id = rb.rollout_id AND rb.state NOT IN " + RolloutStates.FINAL
                                + " AND rb.deadline_at <= $1 RETURNING rb.delivery_id")
                .execute(Tuple.of(now))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (var row : rows) {
                        Long delivery = row.getLong("delivery_id");
                        if (delivery != null) {
                            chain = chain.flatMap(v -> deliveries.cancelIfQueued(db, delivery,
                                    "rollout: the health deadline passed before the box asked"));
                        }
                    }
                    return chain.replaceWith(rows.rowCount());
                })), MAX_TRANSACTION_ATTEMPTS);
    }

    private Uni<RolloutWaves.Step> judge(long id) {
        return TransientFailures.retry(() -> Transactions.run(pool, db -> waves.judge(db, id)), MAX_TRANSACTION_ATTEMPTS)
                .call(step -> step == null ? Uni.createFrom().voidItem()
                        : audit.record(SYSTEM, step.action(), "rollout:" + id, Map.of("reason", step.detail()), null));
    }
}
