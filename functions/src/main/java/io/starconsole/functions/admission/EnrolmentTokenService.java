package io.starconsole.functions.admission;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.auth.Hashes;
import io.starconsole.functions.box.BoxFields;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.TextInput;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enrolment tokens: issued once in clear (prefix {@code et_}), stored only as SHA-256 hashes,
 * single- or multi-use or unlimited, optionally expiring and bound to a group, revocable.
 */
@ApplicationScoped
public class EnrolmentTokenService {

    static final String TOKEN_PREFIX = "et_";
    private static final int TOKEN_SIZE_IN_BYTES = 32;

    private static final String COLUMNS = "id, description, groupname, uses_left, expires_at, revoked_at, created_by, created_at";

    private final Pool pool;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    public EnrolmentTokenService(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public record NewToken(String description, String group, Integer uses, OffsetDateTime expiresAt) {
    }

    /** A token as listed; {@code state}: active, used_up, expired or revoked. */
    public record TokenView(long id, String description, String group, Integer usesLeft, OffsetDateTime expiresAt,
                            OffsetDateTime revokedAt, String createdBy, OffsetDateTime createdAt, String state) {
        static TokenView from(Row row) {
            Integer usesLeft = row.getInteger("uses_left");
            OffsetDateTime expiresAt = row.getOffsetDateTime("expires_at");
            OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
            String state = revokedAt != null ? "revoked"
                    : expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now(ZoneOffset.UTC)) ? "expired"
                    : usesLeft != null && usesLeft == 0 ? "used_up" : "active";
            return new TokenView(row.getLong("id"), row.getString("description"), row.getString("groupname"),
                    usesLeft, expiresAt, revokedAt, row.getString("created_by"), row.getOffsetDateTime("created_at"), state);
        }
    }

    /** The one answer that carries the token in clear. */
    public record IssuedToken(String token, TokenView details) {
    }

    public Uni<List<TokenView>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM enrolment_tokens ORDER BY id DESC").execute()
                .onItem().transform(rows -> {
                    List<TokenView> list = new ArrayList<>();
                    rows.forEach(row -> list.add(TokenView.from(row)));
                    return list;
                });
    }

    public Uni<IssuedToken> issue(NewToken request, Caller caller) {
        if (request == null) {
            throw ApiException.badField("description", "a JSON body is required ({} for an unlimited token of no group)");
        }
        NewToken r = request;
        TextInput.check("description", r.description(), 256);
        String group = r.group() == null || r.group().isBlank() ? null : r.group();
        if (BoxFields.groupProblem(group) != null) {
            throw ApiException.badField("group", BoxFields.groupProblem(group));
        }
        if (r.uses() != null && r.uses() < 1) {
            throw ApiException.badField("uses", "uses must be 1 or more, or null for unlimited");
        }
        if (r.expiresAt() != null && !r.expiresAt().isAfter(OffsetDateTime.now(ZoneOffset.UTC))) {
            throw ApiException.badField("expiresAt", "expiresAt must be in the future");
        }
        byte[] raw = new byte[TOKEN_SIZE_IN_BYTES];
        random.nextBytes(raw);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        return pool.preparedQuery("INSERT INTO enrolment_tokens (token_hash, description, groupname, uses_left, expires_at,"
                        + " created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(Buffer.buffer(Hashes.sha256(token)), r.description(), group, r.uses(),
                        r.expiresAt(), caller.actor())))
                .onItem().transform(rows -> TokenView.from(rows.iterator().next()))
                .flatMap(view -> {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("group", group);
                    detail.put("uses", r.uses());
                    detail.put("expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
                    return audit.record(caller.actor(), "enrolment_token.issued", "enrolment_token:" + view.id(), detail,
                            caller.source()).replaceWith(new IssuedToken(token, view));
                });
    }

    public Uni<Void> revoke(long id, Caller caller) {
        return pool.preparedQuery("UPDATE enrolment_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1")
                .execute(Tuple.of(id))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().failure(ApiException.notFound("enrolment token"))
                        : audit.record(caller.actor(), "enrolment_token.revoked", "enrolment_token:" + id, null,
                                caller.source()));
    }
}
