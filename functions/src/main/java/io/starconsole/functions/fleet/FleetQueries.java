package io.starconsole.functions.fleet;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Fleet-wide read queries for the overview page: each part is one SQL statement. */
@ApplicationScoped
public class FleetQueries {

    static final int RECENT_TRANSITIONS = 20;
    static final int CHART_HOURS = 6;
    static final int CHART_BUCKET_MINUTES = 10;

    /** Online: in a session now. Offline: accepted and not online. Pending and rejected: by admission. */
    private static final String COUNTS = "SELECT count(*) FILTER (WHERE online) AS online,"
            + " count(*) FILTER (WHERE NOT online AND admission = 'accepted') AS offline,"
            + " count(*) FILTER (WHERE admission = 'pending') AS pending,"
            + " count(*) FILTER (WHERE admission = 'rejected') AS rejected,"
            + " count(*) AS total FROM spnclients";

    private static final String TRANSITIONS = "SELECT e.box_id, c.spnbox_id, e.kind, e.at, e.realip"
            + " FROM box_events e JOIN spnclients c ON c.id = e.box_id"
            + " WHERE e.kind IN ('online', 'offline', 'bye', 'address_changed')"
            + " ORDER BY e.at DESC, e.id DESC LIMIT $1";

    private static final String FAILED_COMMANDS = "SELECT count(*) FROM command_deliveries"
            + " WHERE state = 'failed' AND updated_at > now() - interval '24 hours'";

    /**
     * Online boxes at the end of each bucket, from the presence transitions alone: each event
     * becomes +1 (a box came online), -1 (went offline or said BYE) or 0 (no change) against the
     * box's previous event; the sum of all changes up to a moment is the number online then.
     * Changes before the window are summed once as the base, those inside per bucket and then
     * accumulated: linear in the number of events, with no per-box work outside the database.
     */
    private static final String ONLINE_OVER_TIME = """
            WITH params AS (
                SELECT date_bin(make_interval(mins => $2), now() - make_interval(hours => $1),
                                timestamptz '2000-01-01 00:00:00+00') AS start,
                       make_interval(mins => $2) AS width
            ), changes AS (
                SELECT at, up - coalesce(lag(up) OVER (PARTITION BY box_id ORDER BY at, id), 0) AS delta
                FROM (SELECT box_id, at, id, CASE WHEN kind = 'online' THEN 1 ELSE 0 END AS up
                      FROM box_events WHERE kind IN ('online', 'offline', 'bye')) transitions
            ), base AS (
                SELECT coalesce(sum(delta), 0) AS online FROM changes, params WHERE changes.at < params.start
            ), per_bucket AS (
                SELECT date_bin(params.width, changes.at, params.start) AS bucket, sum(delta) AS delta
                FROM changes, params WHERE changes.at >= params.start GROUP BY 1
            )
            SELECT least(b.bucket + params.width, now()) AS at,
                   greatest(0, base.online + sum(coalesce(p.delta, 0)) OVER (ORDER BY b.bucket)) AS online
            FROM params, base,
                 generate_series(params.start, now(), params.width) AS b(bucket)
                 LEFT JOIN per_bucket p ON p.bucket = b.bucket
            ORDER BY b.bucket""";

    private final Pool pool;

    public FleetQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<FleetSummary> summary() {
        Uni<Row> counts = pool.query(COUNTS).execute().onItem().transform(rows -> rows.iterator().next());
        Uni<List<FleetSummary.Transition>> transitions = pool.preparedQuery(TRANSITIONS)
                .execute(Tuple.of(RECENT_TRANSITIONS)).onItem().transform(rows -> list(rows, FleetQueries::transition));
        Uni<Long> failed = pool.query(FAILED_COMMANDS).execute()
                .onItem().transform(rows -> rows.iterator().next().getLong(0));
        Uni<List<FleetSummary.OnlineAt>> chart = pool.preparedQuery(ONLINE_OVER_TIME)
                .execute(Tuple.of(CHART_HOURS, CHART_BUCKET_MINUTES))
                .onItem().transform(rows -> list(rows, FleetQueries::onlineAt));
        return Uni.combine().all().unis(counts, transitions, failed, chart).with((c, t, f, o) ->
                new FleetSummary(c.getLong("online"), c.getLong("offline"), c.getLong("pending"),
                        c.getLong("rejected"), c.getLong("total"), t, f, o));
    }

    private static FleetSummary.Transition transition(Row row) {
        return new FleetSummary.Transition(row.getInteger("box_id"), row.getString("spnbox_id"),
                row.getString("kind"), row.getOffsetDateTime("at"), row.getString("realip"));
    }

    private static FleetSummary.OnlineAt onlineAt(Row row) {
        return new FleetSummary.OnlineAt(row.getOffsetDateTime("at"), row.getLong("online"));
    }

    private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> from) {
        List<T> items = new ArrayList<>();
        rows.forEach(row -> items.add(from.apply(row)));
        return items;
    }
}
