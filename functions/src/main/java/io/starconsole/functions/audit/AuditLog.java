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
        if (entries.size() == 1) {
            return db.preparedQuery(INSERT).execute(entries.get(0).tuple()).replaceWithVoid();
        }
        // One statement for many (a batch of commands), numbered in the order given.
        int n = entries.size();
        String[] actors = new String[n];
        String[] actions = new String[n];
        String[] targets = new String[n];
        String[] details = new String[n];
        String[] sources = new String[n];
        for (int i = 0; i < n; i++) {
            Entry entry = entries.get(i);
            actors[i] = entry.actor();
            actions[i] = entry.action();
            targets[i] = entry.target();
            details[i] = entry.detail() == null ? null : new JsonObject(entry.detail()).encode();
            sources[i] = entry.source();
        }
        return db.preparedQuery("INSERT INTO audit_log (actor, action, target, detail, source)"
                        + " SELECT e.actor, e.action, e.target, e.detail::jsonb, e.source"
                        + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY"
                        + " AS e(actor, action, target, detail, source, ord) ORDER BY e.ord")
                .execute(Tuple.of(actors, actions, targets, details, sources))
                .replaceWithVoid();
    }
}
