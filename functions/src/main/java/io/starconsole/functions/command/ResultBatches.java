package io.starconsole.functions.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of many boxes in one call (an edge gathers the results waiting at a moment), each
 * idempotent as {@link CommandResults#report} is. Plain results are recorded in one transaction
 * with one update for all (the delivery rows locked in id order, so batches cannot deadlock);
 * a result that does more than end its delivery (a key change, an address promise, a P2P partner,
 * a firmware rollout) or that comes under a key the registry no longer knows takes the single
 * path, in its own transaction, after the batch's. Each entry is answered on its own: an unknown
 * delivery does not fail the others.
 */
@ApplicationScoped
public class ResultBatches {

    /** Results in one call at most. */
    public static final int MAX_BATCH = 1000;

    private final Pool pool;
    private final CommandResults results;

    public ResultBatches(Pool pool, CommandResults results) {
        this.pool = pool;
        this.results = results;
    }

    /** {@code POST /internal/v1/commands/result-batch}. */
    public record BatchRequest(List<CommandResults.ResultRequest> results) {
    }

    /** In request order, one per entry: {@code error} null when the result is recorded (now or before). */
    public record BatchAnswer(List<EntryAnswer> results) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EntryAnswer(String publicKey, Long commandId, BatchEntryError error) {
    }

    /** A checked entry and where it stands in the request. */
    private record Checked(int index, CommandResults.ResultRequest request) {
    }

    /** What the batch's transaction left for after its commit. */
    private record Recorded(List<Long> toSettle, List<Checked> singly) {
    }

    public Uni<BatchAnswer> report(BatchRequest request) {
        if (request == null || request.results() == null) {
            throw ApiException.badField("results", "a JSON body with a list of results is required");
        }
        if (request.results().isEmpty() || request.results().size() > MAX_BATCH) {
            throw ApiException.badField("results", "1 to " + MAX_BATCH + " results in one call");
        }
        List<CommandResults.ResultRequest> entries = request.results();
        BatchEntryError[] errors = new BatchEntryError[entries.size()];
        List<Checked> valid = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                valid.add(new Checked(i, CommandResults.checked(entries.get(i))));
            } catch (ApiException refused) {
                errors[i] = BatchEntryError.of(refused);
            }
        }
        Uni<Void> done = valid.isEmpty() ? Uni.createFrom().voidItem()
                : TransientFailures.retry(() -> Transactions.run(pool, db -> recordPlain(db, valid, errors)),
                                CommandQueue.MAX_TRANSACTION_ATTEMPTS)
                        .flatMap(recorded -> LeaseBatches.sequentially(recorded.toSettle().size(),
                                        i -> CommandStates.settleAfterCommit(pool, recorded.toSettle().get(i)))
                                .flatMap(v -> LeaseBatches.sequentially(recorded.singly().size(), i -> {
                                    Checked one = recorded.singly().get(i);
                                    return results.report(one.request()).onFailure().recoverWithItem(failure -> {
                                        errors[one.index()] = failure instanceof ApiException refused
                                                ? BatchEntryError.of(refused) : BatchEntryError.unavailable(failure);
                                        return null;
                                    });
                                })));
        return done.onItem().transform(v -> {
            List<EntryAnswer> answers = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                CommandResults.ResultRequest entry = entries.get(i);
                answers.add(new EntryAnswer(entry == null ? null : entry.publicKey(),
                        entry == null ? null : entry.commandId(), errors[i]));
            }
            return new BatchAnswer(answers);
        });
    }

    private static Uni<Recorded> recordPlain(SqlClient db, List<Checked> valid, BatchEntryError[] errors) {
        valid.forEach(one -> errors[one.index()] = null); // a retried transaction starts afresh
        String[] keys = valid.stream().map(c -> c.request().publicKey()).distinct().toArray(String[]::new);
        return db.preparedQuery(LeaseBatches.BOXES_BY_KEY)
                .execute(Tuple.of((Object) keys))
                .flatMap(found -> {
                    Map<String, Integer> boxOf = new HashMap<>();
                    found.forEach(row -> boxOf.put(row.getString("publickey"), row.getInteger("id")));
                    List<Checked> singly = new ArrayList<>();
                    // One entry per delivery: a repeat of the same result in one batch is a repeat.
                    Map<String, Checked> byDelivery = new LinkedHashMap<>();
                    for (Checked one : valid) {
                        Integer boxId = boxOf.get(one.request().publicKey());
                        if (boxId == null) {
                            singly.add(one); // perhaps a key change rolled back: the single path finds the box
                        } else {
                            byDelivery.putIfAbsent(boxId + "/" + one.request().commandId(), one);
                        }
                    }
                    if (byDelivery.isEmpty()) {
                        return Uni.createFrom().item(new Recorded(List.of(), singly));
                    }
                    List<Checked> known = new ArrayList<>(byDelivery.values());
                    Integer[] boxIds = known.stream().map(c -> boxOf.get(c.request().publicKey())).toArray(Integer[]::new);
                    Long[] commandIds = known.stream().map(c -> c.request().commandId()).toArray(Long[]::new);
                    return db.preparedQuery(DELIVERY_IDS)
                            .execute(Tuple.of(boxIds, commandIds))
                            .flatMap(ids -> db.preparedQuery("SELECT d.id, d.box_id, d.command_id, d.state, c.type,"
                                            + " c.target_kind FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
                                            + " WHERE d.id = ANY($1) ORDER BY d.id FOR UPDATE OF d")
                                    .execute(Tuple.of((Object) CommandStates.longs(ids, "id").toArray(new Long[0]))))
                            .flatMap(rows -> finishPlain(db, known, boxOf, rows, errors, singly));
                });
    }

    /**
     * SQL: the delivery id of each (box, command) pair, one index probe per pair. A join of the
     * pairs with the table was planned as a merge join along the (command, box) index: for the
     * results of a broadcast it read the command's deliveries from the first box on (up to 10,000
     * rows, and their dead versions, for 45 results: 0.3–0.5 s a batch, seconds at the peak). The
     * fence ({@code OFFSET 0}) keeps the probe per pair whatever the planner believes of the table.
     */
    static final String DELIVERY_IDS = "SELECT x.id FROM unnest($1::int[], $2::bigint[]) AS r(box_id, command_id)"
            + " CROSS JOIN LATERAL (SELECT d.id FROM command_deliveries d"
            + "   WHERE d.command_id = r.command_id AND d.box_id = r.box_id OFFSET 0) x";

    private static Uni<Recorded> finishPlain(SqlClient db, List<Checked> known, Map<String, Integer> boxOf,
                                             RowSet<Row> rows, BatchEntryError[] errors,
                                             List<Checked> singly) {
        Map<String, Row> deliveries = new HashMap<>();
        rows.forEach(row -> deliveries.put(row.getInteger("box_id") + "/" + row.getLong("command_id"), row));
        List<Long> deliveryIds = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        Set<Long> settleNow = new LinkedHashSet<>();
        Set<Long> settleAfter = new LinkedHashSet<>();
        for (Checked one : known) {
            CommandResults.ResultRequest request = one.request();
            Row row = deliveries.get(boxOf.get(request.publicKey()) + "/" + request.commandId());
            if (row == null) {
                errors[one.index()] = BatchEntryError.of(
                        ApiException.notFound("delivery of command " + request.commandId() + " to this box"));
                continue;
            }
            CommandType type = CommandType.ofCode(row.getShort("type"));
            if (type.p2p() || type == CommandType.REGENERATE_L3_SPN_KEY || type == CommandType.CHANGE_L3_SPN_IP_ADDRESS
                    || type == CommandType.UPDATE_FIRMWARE) {
                singly.add(one);
                continue;
            }
            boolean later = CommandResults.settlesAfterCommit(type, row.getString("target_kind"));
            String current = row.getString("state");
            if ("queued".equals(current) || "delivered".equals(current)) {
                deliveryIds.add(row.getLong("id"));
                states.add(request.state());
                messages.add(request.message());
                (later ? settleAfter : settleNow).add(request.commandId());
            } else if (later) {
                settleAfter.add(request.commandId()); // already ended: a repeated result
            }
        }
        if (deliveryIds.isEmpty()) {
            return Uni.createFrom().item(new Recorded(List.copyOf(settleAfter), singly));
        }
        // The commands recomputed now are box commands (the others settle after the commit or take the
        // single path): each has this one delivery, so its state is the delivery's new one, set in the
        // same statement, as the single result does, instead of a lock and a count of its deliveries.
        return db.preparedQuery("WITH ended AS (UPDATE command_deliveries d SET state = u.state, result = u.message,"
                        + "   leased_until = NULL, updated_at = now()"
                        + "   FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, state, message) WHERE d.id = u.id"
                        + "   RETURNING d.command_id, d.state)"
                        + " UPDATE commands c SET state = e.state, updated_at = now() FROM ended e"
                        + " WHERE c.id = e.command_id AND c.id = ANY($4) AND c.state <> e.state")
                .execute(Tuple.of(deliveryIds.toArray(new Long[0]), states.toArray(new String[0]),
                        messages.toArray(new String[0]), settleNow.toArray(new Long[0])))
                .replaceWith(new Recorded(List.copyOf(settleAfter), singly));
    }
}
