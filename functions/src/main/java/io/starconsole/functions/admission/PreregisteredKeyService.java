package io.starconsole.functions.admission;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.box.BoxFields;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Public keys an operator admits before their boxes first say HELLO (policy "preregistered"). */
@ApplicationScoped
public class PreregisteredKeyService {

    private final Pool pool;
    private final AuditLog audit;

    public PreregisteredKeyService(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public record KeyView(String publicKey, String group, String note, String createdBy, OffsetDateTime createdAt) {
        static KeyView from(Row row) {
            return new KeyView(row.getString("publickey"), row.getString("groupname"), row.getString("note"),
                    row.getString("created_by"), row.getOffsetDateTime("created_at"));
        }
    }

    public record NewKey(String publicKey, String group, String note) {
    }

    public Uni<List<KeyView>> list() {
        return pool.query("SELECT * FROM preregistered_keys ORDER BY created_at DESC").execute()
                .onItem().transform(rows -> {
                    List<KeyView> list = new ArrayList<>();
                    rows.forEach(row -> list.add(KeyView.from(row)));
                    return list;
                });
    }

    public Uni<KeyView> add(NewKey request, Caller caller) {
        String problem = BoxFields.publicKeyProblem(request == null ? null : request.publicKey());
        if (problem != null) {
            throw ApiException.badField("publicKey", problem);
        }
        String group = BoxFields.blankToNull(request.group());
        if (BoxFields.groupProblem(group) != null) {
            throw ApiException.badField("group", BoxFields.groupProblem(group));
        }
        if (BoxFields.textProblem("note", request.note(), 256) != null) {
            throw ApiException.badField("note", BoxFields.textProblem("note", request.note(), 256));
        }
        return pool.preparedQuery("INSERT INTO preregistered_keys (publickey, groupname, note, created_by)"
                        + " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *")
                .execute(Tuple.from(Arrays.asList(request.publicKey(), group, request.note(), caller.actor())))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ApiException.conflict("key_exists", "this key is already pre-registered"));
                    }
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("group", group);
                    return audit.record(caller.actor(), "preregistered_key.added", "key:" + request.publicKey(), detail,
                            caller.source()).replaceWith(KeyView.from(rows.iterator().next()));
                });
    }

    /** Removes a key given in standard or URL-safe base64. Boxes already registered stay. */
    public Uni<Void> remove(String key, Caller caller) {
        String publicKey = BoxFields.canonicalPublicKey(key);
        if (publicKey == null) {
            throw ApiException.badField("publicKey", "publicKey must be a 32-byte key in base64 or base64url");
        }
        return pool.preparedQuery("DELETE FROM preregistered_keys WHERE publickey = $1").execute(Tuple.of(publicKey))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().failure(ApiException.notFound("pre-registered key"))
                        : audit.record(caller.actor(), "preregistered_key.removed", "key:" + publicKey, null, caller.source()));
    }
}
