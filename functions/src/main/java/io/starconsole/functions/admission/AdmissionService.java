package io.starconsole.functions.admission;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.auth.Hashes;
import io.starconsole.functions.database.Transactions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether a new box may register, by the admission settings in force. The settings are read
 * from {@code console_settings} on every decision, so a change through the API holds on every
 * function instance at once; what is not set there comes from {@link AdmissionConfig}.
 */
@ApplicationScoped
public class AdmissionService {

    static final String POLICY = "admission.policy";
    static final String MANUAL_APPROVAL = "admission.manual-approval";

    private final Pool pool;
    private final AdmissionConfig config;
    private final AuditLog audit;

    public AdmissionService(Pool pool, AdmissionConfig config, AuditLog audit) {
        this.pool = pool;
        this.config = config;
        this.audit = audit;
    }

    /** The verdict on a new box: admitted or not, the group an admission bound it to, the token used. */
    public record Verdict(boolean admitted, String boundGroup, Long tokenId, String reason) {
        static Verdict refuse(String reason) {
            return new Verdict(false, null, null, reason);
        }
    }

    public Uni<AdmissionSettings> current(SqlClient db) {
        return db.preparedQuery("SELECT name, value FROM console_settings WHERE name = ANY($1)")
                .execute(Tuple.of(new String[] {POLICY, MANUAL_APPROVAL}))
                .onItem().transform(rows -> {
                    AdmissionPolicy policy = config.policy();
                    boolean manual = config.manualApproval();
                    boolean stored = false;
                    for (Row row : rows) {
                        stored = true;
                        if (POLICY.equals(row.getString("name"))) {
                            AdmissionPolicy parsed = AdmissionPolicy.fromWireName(row.getString("value"));
                            policy = parsed == null ? policy : parsed;
                        } else {
                            manual = Boolean.parseBoolean(row.getString("value"));
                        }
                    }
                    return new AdmissionSettings(policy, manual, stored ? "api" : "config");
                });
    }

    public Uni<AdmissionSettings> current() {
        return current(pool);
    }

    /** Stores both settings (they then win over the configuration) and audits the change. */
    public Uni<AdmissionSettings> update(AdmissionPolicy policy, boolean manualApproval, String actor, String source) {
        return Transactions.run(pool, db -> db.preparedQuery("INSERT INTO console_settings (name, value, updated_by)"
                                + " VALUES ($1, $2, $5), ($3, $4, $5) ON CONFLICT (name) DO UPDATE"
                                + " SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()")
                        .execute(Tuple.of(POLICY, policy.wireName(), MANUAL_APPROVAL, Boolean.toString(manualApproval),
                                actor)))
                .flatMap(v -> {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("policy", policy.wireName());
                    detail.put("manualApproval", manualApproval);
                    return audit.record(actor, "admission.settings_changed", null, detail, source);
                })
                .flatMap(v -> current());
    }

    /** Forgets the stored settings: the configured defaults hold again. */
    public Uni<AdmissionSettings> reset(String actor, String source) {
        return pool.preparedQuery("DELETE FROM console_settings WHERE name = ANY($1)")
                .execute(Tuple.of(new String[] {POLICY, MANUAL_APPROVAL}))
                .flatMap(v -> audit.record(actor, "admission.settings_reset", null, null, source))
                .flatMap(v -> current());
    }

    /**
     * Judges a box not seen before. With the token policy a valid token is spent here (one use), in
     * the caller's transaction: if the registration fails later, the use is given back.
     */
    public Uni<Verdict> judgeNewBox(SqlClient db, AdmissionPolicy policy, String publicKey, String enrolmentToken) {
        return switch (policy) {
            case OPEN -> Uni.createFrom().item(new Verdict(true, null, null, null));
            case TOKEN -> enrolmentToken == null || enrolmentToken.isEmpty()
                    ? Uni.createFrom().item(Verdict.refuse("an enrolment token is required"))
                    : spendToken(db, enrolmentToken);
            case PREREGISTERED -> db.preparedQuery("SELECT groupname FROM preregistered_keys WHERE publickey = $1")
                    .execute(Tuple.of(publicKey))
                    .onItem().transform(rows -> rows.size() == 0
                            ? Verdict.refuse("this public key is not pre-registered")
                            : new Verdict(true, rows.iterator().next().getString("groupname"), null, null));
        };
    }

    private Uni<Verdict> spendToken(SqlClient db, String token) {
        return db.preparedQuery("UPDATE enrolment_tokens SET uses_left = uses_left - 1"
                        + " WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"
                        + " AND (uses_left IS NULL OR uses_left > 0) RETURNING id, groupname")
                .execute(Tuple.of(Buffer.buffer(Hashes.sha256(token))))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        return Verdict.refuse("the enrolment token is unknown, used up, expired or revoked");
                    }
                    Row row = rows.iterator().next();
                    return new Verdict(true, row.getString("groupname"), row.getLong("id"), null);
                });
    }
}
