package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.box.BoxFields;
import io.starconsole.functions.box.EdgeInput;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * How a box in a rollout is judged (docs/ota.md section 7): its OTA_STATUS reports move its row and
 * keep its deadline; it succeeds only when it has registered with the release's firmware version and
 * a heartbeat came after that registration. Registration and presence call in, in their transactions.
 */
@ApplicationScoped
public class OtaHealth {

    public static final int MAX_MESSAGE_LENGTH = 500;
    private static final int MAX_TRANSACTION_ATTEMPTS = 3;

    private final Pool pool;
    private final OtaConfig config;

    public OtaHealth(Pool pool, OtaConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Rows (rb) of a rollout (r) of a release (f) whose delivery the box has leased at least once. */
    private static final String IN_FLIGHT = " FROM rollouts r JOIN firmware_releases f ON f.id = r.release_id,"
            + " command_deliveries d WHERE rb.rollout_id = r.id AND d.id = rb.delivery_id AND d.attempts > 0"
            + " AND r.state IN ('running', 'halted')";

    /** A registration of an accepted box with this firmware version. */
    public Uni<Void> registered(SqlClient db, int boxId, String firmwareVersion) {
        if (firmwareVersion == null) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("UPDATE rollout_boxes rb SET registered_on_version_at = now(), deadline_at = $3,"
                        + " message = 'registered on ' || f.version, updated_at = now()" + IN_FLIGHT
                        + " AND rb.box_id = $1 AND f.version = $2 AND rb.state NOT IN " + RolloutStates.FINAL)
                .execute(Tuple.of(boxId, firmwareVersion, OffsetDateTime.now(ZoneOffset.UTC).plus(config.healthDeadline())))
                .replaceWithVoid();
    }

    /** After a heartbeat batch: boxes back on the new version and alive since have succeeded. */
    public Uni<Void> heartbeats(SqlClient db, String[] publicKeys) {
        return db.preparedQuery("UPDATE rollout_boxes rb SET state = 'succeeded', progress_percent = 100,"
                        + " message = 'back on ' || f.version || ' and alive', updated_at = now()" + IN_FLIGHT
                        + " AND rb.state NOT IN " + RolloutStates.FINAL + " AND rb.registered_on_version_at IS NOT NULL"
                        + " AND rb.box_id IN (SELECT c.id FROM spnclients c WHERE c.publickey = ANY($1)"
                        + "   AND c.firmware_version = f.version AND c.last_seen > rb.registered_on_version_at)")
                .execute(Tuple.of((Object) publicKeys))
                .replaceWithVoid();
    }

    /** {@code POST /internal/v1/ota/status}: OTA_STATUS relayed by an edge. */
    public record StatusReport(String publicKey, Long releaseId, String version, String state, Integer progressPercent,
                               String message) {
    }

    public Uni<Void> report(StatusReport report) {
        if (report == null) {
            throw ApiException.badField("publicKey", "a JSON body is required");
        }
        EdgeInput.requireKey(report.publicKey());
        if (report.releaseId() == null) {
            throw ApiException.badField("releaseId", "releaseId is required");
        }
        if (report.state() == null || !RolloutStates.REPORTABLE.contains(report.state())) {
            throw ApiException.badField("state", "state must be one of " + Arrays.toString(RolloutStates.ALL));
        }
        String version = BoxFields.versionProblem("version", report.version());
        if (version != null) {
            throw ApiException.badField("version", version);
        }
        if (report.progressPercent() != null && (report.progressPercent() < 0 || report.progressPercent() > 100)) {
            throw ApiException.badField("progressPercent", "progressPercent must be between 0 and 100");
        }
        String problem = BoxFields.textProblem("message", report.message(), MAX_MESSAGE_LENGTH);
        if (problem != null) {
            throw ApiException.badField("message", problem);
        }
        boolean failure = "failed".equals(report.state()) || "rolled_back".equals(report.state());
        // succeeded is the box's word only: it moves nothing (health decides); a failure is final at once.
        String state = "succeeded".equals(report.state()) ? null : report.state();
        return TransientFailures.retry(() -> Transactions.run(pool, db -> db.preparedQuery(
                        "UPDATE rollout_boxes rb SET state = coalesce($3, rb.state),"
                                + " progress_percent = coalesce($4, rb.progress_percent), message = $5,"
                                + " deadline_at = CASE WHEN $6 THEN rb.deadline_at ELSE $7 END, updated_at = now()"
                                + IN_FLIGHT + " AND rb.box_id = (SELECT id FROM spnclients WHERE publickey = $1)"
                                + " AND f.id = $2 AND (rb.state NOT IN " + RolloutStates.FINAL + " OR $6)")
                .execute(Tuple.from(Arrays.asList(report.publicKey(), report.releaseId(), state, report.progressPercent(),
                        report.message() == null ? report.state() : report.message(), failure,
                        OffsetDateTime.now(ZoneOffset.UTC).plus(config.healthDeadline()))))
                .replaceWithVoid()), MAX_TRANSACTION_ATTEMPTS);
    }
}
