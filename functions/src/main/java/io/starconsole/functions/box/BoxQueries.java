package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The read side of the registry for operators. Filters become numbered parameters; the sort key is
 * looked up in a fixed table, so no request text ever becomes SQL.
 */
@ApplicationScoped
public class BoxQueries {

    /** Sort keys of {@code GET /api/v1/boxes} and their columns; "-key" sorts descending. */
    static final Map<String, String> SORTS = Map.of(
            "id", "c.id",
            "lastSeen", "c.last_seen",
            "spnIp", "l.address",
            "idString", "c.spnbox_id",
            "group", "c.groupname",
            "realIp", "c.realip",
            "registeredAt", "c.registered_at",
            "online", "c.online");

    private final Pool pool;

    public BoxQueries(Pool pool) {
        this.pool = pool;
    }

    /** The filters of the box list; null means "any". */
    public record Filter(String group, Boolean online, String admission, String text, String sort) {
    }

    /** A row of a box's history. */
    public record Event(long id, OffsetDateTime at, String kind, String realIp, Integer realPort, String detail) {
        static Event from(Row row) {
            return new Event(row.getLong("id"), row.getOffsetDateTime("at"), row.getString("kind"),
                    row.getString("realip"), row.getInteger("realport"), row.getString("detail"));
        }
    }

    public Uni<Page<Box>> list(Filter filter, Page.Request paging) {
        String order = orderBy(filter.sort());
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (filter.group() != null) {
            parameters.add(filter.group());
            where.append(" AND c.groupname = $").append(parameters.size());
        }
        if (filter.online() != null) {
            parameters.add(filter.online());
            where.append(" AND c.online = $").append(parameters.size());
        }
        if (filter.admission() != null) {
            parameters.add(filter.admission());
            where.append(" AND c.admission = $").append(parameters.size());
        }
        if (filter.text() != null) {
            parameters.add("%" + filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            String p = "$" + parameters.size();
            where.append(" AND (c.spnbox_id ILIKE ").append(p).append(" OR host(l.address) LIKE ").append(p)
                    .append(" OR c.realip LIKE ").append(p).append(" OR c.publickey LIKE ").append(p)
                    .append(" OR c.groupname ILIKE ").append(p).append(")");
        }
        Tuple countParameters = Tuple.from(parameters);
        parameters.add(paging.size());
        parameters.add(paging.offset());
        String limit = " LIMIT $" + (parameters.size() - 1) + " OFFSET $" + parameters.size();
        return pool.preparedQuery("SELECT count(*)" + Box.FROM + where).execute(countParameters)
                .flatMap(count -> pool.preparedQuery("SELECT " + Box.COLUMNS + Box.FROM + where + order + limit)
                        .execute(Tuple.from(parameters))
                        .onItem().transform(rows -> {
                            List<Box> items = new ArrayList<>();
                            rows.forEach(row -> items.add(Box.from(row)));
                            return new Page<>(items, count.iterator().next().getLong(0), paging.page(), paging.size());
                        }));
    }

    static String orderBy(String sort) {
        if (sort == null || sort.isEmpty()) {
            return " ORDER BY c.id";
        }
        boolean descending = sort.startsWith("-");
        String column = SORTS.get(descending ? sort.substring(1) : sort);
        if (column == null) {
            throw ApiException.badField("sort", "sort must be one of " + String.join(", ", SORTS.keySet())
                    + ", optionally with a leading '-'");
        }
        return " ORDER BY " + column + (descending ? " DESC NULLS LAST" : " ASC NULLS LAST") + ", c.id";
    }

    public Uni<Box> find(int id) {
        return pool.preparedQuery("SELECT " + Box.COLUMNS + Box.FROM + " WHERE c.id = $1")
                .execute(Tuple.of(id))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("box");
                    }
                    return Box.from(rows.iterator().next());
                });
    }

    /** A box's history, newest first. */
    public Uni<Page<Event>> history(int id, Page.Request paging) {
        return find(id).flatMap(box -> pool.preparedQuery("SELECT count(*) FROM box_events WHERE box_id = $1")
                .execute(Tuple.of(id))
                .flatMap(count -> pool.preparedQuery("SELECT id, at, kind, realip, realport, detail FROM box_events"
                                + " WHERE box_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3")
                        .execute(Tuple.of(id, paging.size(), paging.offset()))
                        .onItem().transform(rows -> {
                            List<Event> items = new ArrayList<>();
                            rows.forEach(row -> items.add(Event.from(row)));
                            return new Page<>(items, count.iterator().next().getLong(0), paging.page(), paging.size());
                        })));
    }
}
