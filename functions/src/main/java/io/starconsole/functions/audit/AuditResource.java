package io.starconsole.functions.audit;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Page;
import io.starconsole.functions.web.TextInput;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The audit log for admins: who did what, when, from where; newest first. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public class AuditResource {

    private static final int MAX_FILTER = 128;

    private final Pool pool;

    public AuditResource(Pool pool) {
        this.pool = pool;
    }

    /** One audit record; {@code detail} as it was written (never a secret). */
    public record Entry(long id, OffsetDateTime at, String actor, String action, String target,
                        Map<String, Object> detail, String source) {
        static Entry from(Row row) {
            JsonObject detail = row.getJsonObject("detail");
            return new Entry(row.getLong("id"), row.getOffsetDateTime("at"), row.getString("actor"),
                    row.getString("action"), row.getString("target"), detail == null ? null : detail.getMap(),
                    row.getString("source"));
        }
    }

    @GET
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(summary = "Audit records, newest first, filtered by actor and action")
    public Uni<Page<Entry>> list(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                 @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        TextInput.check("actor", actor, MAX_FILTER);
        TextInput.check("action", action, MAX_FILTER);
        Page.Request paging = Page.request(page, size);
        String where = " WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)";
        return pool.preparedQuery("SELECT count(*) FROM audit_log" + where).execute(Tuple.of(actor, action))
                .flatMap(count -> pool.preparedQuery("SELECT id, at, actor, action, target, detail, source FROM audit_log"
                                + where + " ORDER BY at DESC, id DESC LIMIT $3 OFFSET $4")
                        .execute(Tuple.of(actor, action, paging.size(), paging.offset()))
                        .onItem().transform(rows -> {
                            List<Entry> items = new ArrayList<>();
                            rows.forEach(row -> items.add(Entry.from(row)));
                            return new Page<>(items, count.iterator().next().getLong(0), paging.page(), paging.size());
                        }));
    }
}
