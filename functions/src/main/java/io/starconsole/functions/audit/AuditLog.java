package io.starconsole.functions.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Who did what, when and from where. Callers pass only what may be read back by any admin: never
 * a password, token or key.
 */
@ApplicationScoped
public class AuditLog {

    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** One entry of the log. */
    public record Entry(String actor, String action, String target, Map<String, Object> detail, String source) {

        Tuple tuple() {
            return Tuple.of(actor, action, target, detail == null ? null : new JsonObject(detail), source);
        }
    }

    private static final String INSERT = "INSERT INTO audit_log (actor, action, target, detail, source)"
            + " VALUES ($1, $2, $3, $4, $5)";

    public Uni<Void> record(String actor, String action, String target, Map<String, Object> detail, String source) {
        return pool.preparedQuery(INSERT).execute(new Entry(actor, action, target, detail, source).tuple())
                .replaceWithVoid();
    }

    /** The entries, in the caller's transaction: they are kept exactly when what they tell of is. */
    public Uni<Void> record(SqlClient db, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(INSERT).executeBatch(entries.stream().map(Entry::tuple).toList()).replaceWithVoid();
    }
}
