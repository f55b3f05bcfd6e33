package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads of the queue for the API: commands with their counts, deliveries, a box's commands. */
@ApplicationScoped
public class CommandQueries {

    private final Pool pool;

    public CommandQueries(Pool pool) {
        this.pool = pool;
    }

    /** Filters of the command list; each may be null. */
    public record Filter(String state, CommandType type, Integer boxId) {
    }

    public Uni<CommandView> find(long id) {
        return pool.preparedQuery("SELECT " + CommandView.COLUMNS + " FROM commands c WHERE c.id = $1")
                .execute(Tuple.of(id))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("command " + id);
                    }
                    return withCounts(rows).onItem().transform(views -> views.get(0));
                });
    }

    /** These commands, in the order of the ids given. */
    public Uni<List<CommandView>> findAll(List<Long> ids) {
        return pool.preparedQuery("SELECT " + CommandView.COLUMNS + " FROM commands c WHERE c.id = ANY($1) ORDER BY c.id")
                .execute(Tuple.of((Object) ids.toArray(new Long[0])))
                .flatMap(this::withCounts)
                .onItem().transform(views -> {
                    Map<Long, CommandView> byId = new HashMap<>();
                    views.forEach(view -> byId.put(view.id(), view));
                    return ids.stream().map(byId::get).toList();
                });
    }

    /** Commands, newest first. */
    public Uni<Page<CommandView>> list(Filter filter, Page.Request paging) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (filter.state() != null) {
            parameters.add(filter.state());
            String stored = CommandView.storedStatesShownAs(filter.state());
            if (stored == null) {
                where.append(" AND c.state = $").append(parameters.size());
            } else {
                // Queued and in_progress also depend on a box command's delivery; the stored state
                // narrows the rows first, through commands_state_idx.
                where.append(" AND c.state IN ").append(stored).append(" AND ").append(CommandView.SHOWN_STATE)
                        .append(" = $").append(parameters.size());
            }
        }
        if (filter.type() != null) {
            parameters.add((short) filter.type().code());
            where.append(" AND c.type = $").append(parameters.size());
        }
        if (filter.boxId() != null) {
            parameters.add(filter.boxId());
            where.append(" AND EXISTS (SELECT 1 FROM command_deliveries d WHERE d.command_id = c.id AND d.box_id = $")
                    .append(parameters.size()).append(')');
        }
        Tuple countParameters = Tuple.from(new ArrayList<>(parameters));
        parameters.add(paging.size());
        parameters.add(paging.offset());
        String page = " ORDER BY c.id DESC LIMIT $" + (parameters.size() - 1) + " OFFSET $" + parameters.size();
        return pool.preparedQuery("SELECT count(*) FROM commands c" + where).execute(countParameters)
                .flatMap(count -> pool.preparedQuery("SELECT " + CommandView.COLUMNS + " FROM commands c" + where + page)
                        .execute(Tuple.from(parameters))
                        .flatMap(this::withCounts)
                        .onItem().transform(items -> new Page<>(items, count.iterator().next().getLong(0),
                                paging.page(), paging.size())));
    }

    private Uni<List<CommandView>> withCounts(RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getLong("id")));
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT command_id, state, count(*) AS n FROM command_deliveries"
                        + " WHERE command_id = ANY($1) GROUP BY command_id, state")
                .execute(Tuple.of((Object) ids.toArray(new Long[0])))
                .onItem().transform(counted -> {
                    Map<Long, Map<String, Long>> byCommand = new HashMap<>();
                    counted.forEach(row -> byCommand.computeIfAbsent(row.getLong("command_id"), k -> new HashMap<>())
                            .put(row.getString("state"), row.getLong("n")));
                    List<CommandView> views = new ArrayList<>();
                    rows.forEach(row -> {
                        Map<String, Long> states = byCommand.get(row.getLong("id"));
                        views.add(CommandView.from(row, states == null ? CommandView.Counts.NONE
                                : CommandView.Counts.of(states)));
                    });
                    return views;
                });
    }

    /** The deliveries of a command, in delivery order. */
    public Uni<Page<DeliveryView>> deliveries(long commandId, String state, Page.Request paging) {
        return find(commandId).flatMap(command -> deliveryPage(" WHERE d.command_id = $1"
                        + (state == null ? "" : " AND d.state = $4"), " ORDER BY d.id",
                state == null ? new ArrayList<>(List.of(commandId)) : new ArrayList<>(List.of(commandId, state)),
                paging, false));
    }

    /** A box's deliveries, newest first, with what each command was. */
    public Uni<Page<DeliveryView>> forBox(int boxId, Page.Request paging) {
        return pool.preparedQuery("SELECT 1 FROM spnclients WHERE id = $1").execute(Tuple.of(boxId))
                .flatMap(found -> {
                    if (found.size() == 0) {
                        throw ApiException.notFound("box " + boxId);
                    }
                    return deliveryPage(" WHERE d.box_id = $1", " ORDER BY d.id DESC",
                            new ArrayList<>(List.of(boxId)), paging, true);
                });
    }

    /** Filter parameters are $1 and (when present) $4; $2 and $3 are the page's limit and offset. */
    private Uni<Page<DeliveryView>> deliveryPage(String where, String order, List<Object> filter, Page.Request paging,
                                                 boolean withCommand) {
        String countWhere = where.replace("$4", "$2");
        List<Object> pageParameters = new ArrayList<>(List.of(filter.get(0), paging.size(), paging.offset()));
        if (filter.size() > 1) {
            pageParameters.add(filter.get(1));
        }
        return pool.preparedQuery("SELECT count(*) FROM command_deliveries d" + countWhere)
                .execute(Tuple.from(filter))
                .flatMap(count -> pool.preparedQuery("SELECT " + DeliveryView.COLUMNS + DeliveryView.FROM + where + order
                                + " LIMIT $2 OFFSET $3")
                        .execute(Tuple.from(pageParameters))
                        .onItem().transform(rows -> {
                            List<DeliveryView> items = new ArrayList<>();
                            rows.forEach(row -> items.add(DeliveryView.from(row, withCommand)));
                            return new Page<>(items, count.iterator().next().getLong(0), paging.page(), paging.size());
                        }));
    }
}
