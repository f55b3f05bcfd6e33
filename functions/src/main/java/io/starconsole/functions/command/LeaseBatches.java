package io.starconsole.functions.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.box.EdgeInput;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.database.GenericPlans;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ASK_USER_CMD of many boxes in one call (an edge gathers the leases waiting at a moment): one
 * transaction with one statement per step for all the boxes, each box answered as its single
 * {@link CommandQueue#lease} would be — one delivery out per box, high priority first then FIFO,
 * a retried relay ({@code requestId}) answered with what its first try leased. The boxes' queue
 * locks are taken in box-id order, so batches and single leases cannot deadlock. A box that is
 * unknown or named twice gets its own error; the others are served. Deliveries that need more than
 * a state change (a new SPN IP to reserve, a firmware download to expand) and retried relays take
 * the single lease's per-row path, inside the same transaction.
 */
@ApplicationScoped
public class LeaseBatches {

    /** Boxes in one call at most. */
    public static final int MAX_BATCH = 1000;

    private final Pool pool;
    private final CommandQueue queue;

    public LeaseBatches(Pool pool, CommandQueue queue) {
        this.pool = pool;
        this.queue = queue;
    }

    /** {@code POST /internal/v1/commands/lease-batch}. */
    public record BatchRequest(String edgeId, List<Entry> leases) {
    }

    /** One box's ASK_USER_CMD; {@code requestId} as in {@link CommandQueue.LeaseRequest}. */
    public record Entry(String publicKey, String requestId) {
    }

    /** In request order, one per entry: the lease as the single call answers it, or the entry's error. */
    public record BatchAnswer(List<EntryAnswer> leases) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EntryAnswer(String publicKey, CommandQueue.Leased command, boolean morePending,
                              BatchEntryError error) {

        static EntryAnswer failed(String publicKey, BatchEntryError error) {
            return new EntryAnswer(publicKey, null, false, error);
        }
    }

    public Uni<BatchAnswer> lease(BatchRequest request, OffsetDateTime now) {
        if (request == null || request.leases() == null) {
            throw ApiException.badField("leases", "a JSON body with a list of leases is required");
        }
        EdgeInput.requireEdgeId(request.edgeId());
        if (request.leases().isEmpty() || request.leases().size() > MAX_BATCH) {
            throw ApiException.badField("leases", "1 to " + MAX_BATCH + " leases in one call");
        }
        EntryAnswer[] answers = new EntryAnswer[request.leases().size()];
        Map<String, Integer> firstEntryOfKey = new HashMap<>();
        for (int i = 0; i < answers.length; i++) {
            Entry entry = request.leases().get(i);
            String key = entry == null ? null : entry.publicKey();
            try {
                check(entry);
                if (firstEntryOfKey.putIfAbsent(key, i) != null) {
                    answers[i] = EntryAnswer.failed(key, BatchEntryError.repeated());
                }
            } catch (ApiException refused) {
                answers[i] = EntryAnswer.failed(key, BatchEntryError.of(refused));
            }
        }
        if (firstEntryOfKey.isEmpty()) {
            return Uni.createFrom().item(new BatchAnswer(List.of(answers)));
        }
        return TransientFailures.retry(() -> GenericPlans.transactionForBatch(pool, firstEntryOfKey.size(),
                                db -> leaseAll(db, request, firstEntryOfKey, now)),
                        CommandQueue.MAX_TRANSACTION_ATTEMPTS)
                .onItem().transform(byKey -> {
                    firstEntryOfKey.forEach((key, index) -> answers[index] = byKey.get(key));
                    return new BatchAnswer(List.of(answers));
                });
    }

    private static void check(Entry entry) {
        if (entry == null) {
            throw ApiException.badField("publicKey", "an entry is required");
        }
        EdgeInput.requireKey(entry.publicKey());
        if (entry.requestId() != null && (entry.requestId().isEmpty() || entry.requestId().length() > 64)) {
            throw ApiException.badField("requestId", "requestId must be 1 to 64 characters");
        }
    }

    /**
     * SQL: {@code id} and {@code publickey} of the boxes whose keys are in {@code $1} (distinct keys).
     * A join from the keys, not {@code publickey = ANY($1)}: on a small table the planner scanned every
     * row against the whole array, 27 µs a key in batches of 100.
     */
    static final String BOXES_BY_KEY = "SELECT c.id, c.publickey FROM unnest($1::text[]) AS k(publickey)"
            + " JOIN spnclients c ON c.publickey = k.publickey";

    /** Every valid entry's answer, by the box's key. */
    private Uni<Map<String, EntryAnswer>> leaseAll(SqlClient db, BatchRequest request, Map<String, Integer> entries,
                                                   OffsetDateTime now) {
        String[] keys = entries.keySet().toArray(new String[0]);
        return db.preparedQuery(BOXES_BY_KEY)
                .execute(Tuple.of((Object) keys))
                .flatMap(found -> {
                    Map<String, EntryAnswer> answers = new HashMap<>();
                    TreeMap<Integer, Entry> byBox = new TreeMap<>();
                    found.forEach(row -> byBox.put(row.getInteger("id"),
                            request.leases().get(entries.get(row.getString("publickey")))));
                    for (String key : keys) {
                        answers.put(key, EntryAnswer.failed(key, BatchEntryError.of(ApiException.notFound("box"))));
                    }
                    if (byBox.isEmpty()) {
                        return Uni.createFrom().item(answers);
                    }
                    Integer[] boxIds = byBox.keySet().toArray(new Integer[0]);
                    // The late joiners' insert goes out behind the locks without waiting for them: the
                    // backend runs it once it holds them, a round trip sooner.
                    return Uni.combine().all().unis(lockBoxQueues(db, boxIds), queue.materialiseLateJoiners(db, boxIds))
                            .discardItems()
                            .flatMap(v -> queue.expireAndGiveUpReadingOutstanding(db, boxIds, now))
                            .flatMap(outstanding -> handOut(db, request.edgeId(), byBox, outstanding, now))
                            .flatMap(leased -> morePending(db, boxIds, now).onItem().transform(more -> {
                                byBox.forEach((boxId, entry) -> {
                                    CommandQueue.Leased command = leased.get(boxId);
                                    answers.put(entry.publicKey(), new EntryAnswer(entry.publicKey(), command,
                                            Boolean.TRUE.equals(more.get(boxId)), null));
                                });
                                return answers;
                            }));
                });
    }

    /** The boxes' queue locks (as {@link CommandQueue#lease} takes one), in the order of the sorted ids. */
    private static Uni<Void> lockBoxQueues(SqlClient db, Integer[] sortedBoxIds) {
        return db.preparedQuery("SELECT pg_advisory_xact_lock($1, q.box_id) FROM unnest($2::int[]) AS q(box_id)")
                .execute(Tuple.of(CommandQueue.BOX_QUEUE_LOCK_CLASS, sortedBoxIds)).replaceWithVoid();
    }

    /** What each box gets now (absent: nothing), by box id. */
    private Uni<Map<Integer, CommandQueue.Leased>> handOut(SqlClient db, String edgeId, TreeMap<Integer, Entry> byBox,
                                                          List<Row> outstanding, OffsetDateTime now) {
        Map<Integer, CommandQueue.Leased> leased = new HashMap<>();
        List<Integer> free = new ArrayList<>(byBox.keySet());
        List<CommandQueue.Outstanding> again = new ArrayList<>();
        List<Integer> againBoxes = new ArrayList<>();
        for (Row row : outstanding) {
            int boxId = row.getInteger("box_id");
            free.remove(Integer.valueOf(boxId));
            String requestId = byBox.get(boxId).requestId();
            // The same relay tried again: its first answer may have been lost.
            if (requestId != null && requestId.equals(row.getString("lease_request"))) {
                again.add(new CommandQueue.Outstanding(row.getLong("id"), requestId));
                againBoxes.add(boxId);
            }
        }
        return heads(db, free, now)
                .flatMap(heads -> handOutHeads(db, edgeId, byBox, heads, now, leased))
                .flatMap(v -> sequentially(again.size(), i -> queue.handOutAgain(db,
                        new CommandQueue.Lease(againBoxes.get(i), edgeId, again.get(i).requestId(), now),
                        again.get(i).deliveryId()).onItem().invoke(handed -> {
                            if (handed != null) {
                                leased.put(againBoxes.get(i), handed.leased());
                            }
                        })))
                .replaceWith(leased);
    }

    /** The head of each box's queue, locked, in box-id order. */
    private static Uni<RowSet<Row>> heads(SqlClient db, List<Integer> sortedBoxIds, OffsetDateTime now) {
        if (sortedBoxIds.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return db.preparedQuery("SELECT x.* FROM unnest($1::int[]) AS q(box_id) CROSS JOIN LATERAL ("
                        + CommandQueue.DELIVERY_TO_HAND_OUT + " WHERE d.box_id = q.box_id" + CommandQueue.HEAD_OF_QUEUE
                        + ") x")
                .execute(Tuple.of(sortedBoxIds.toArray(new Integer[0]), now));
    }

    /**
     * Leases the heads: plain ones with one update of the deliveries and one of their commands;
     * those that need more, one by one as a single lease does.
     */
    private Uni<Void> handOutHeads(SqlClient db, String edgeId, TreeMap<Integer, Entry> byBox, RowSet<Row> heads,
                                   OffsetDateTime now, Map<Integer, CommandQueue.Leased> leased) {
        if (heads == null) {
            return Uni.createFrom().voidItem();
        }
        List<Long> deliveryIds = new ArrayList<>();
        List<OffsetDateTime> until = new ArrayList<>();
        List<String> requestIds = new ArrayList<>();
        List<Long> commandIds = new ArrayList<>();
        List<Row> special = new ArrayList<>();
        for (Row row : heads) {
            int boxId = row.getInteger("box_id");
            CommandType type = CommandType.ofCode(row.getShort("type"));
            if (type == CommandType.CHANGE_L3_SPN_IP_ADDRESS || type == CommandType.UPDATE_FIRMWARE) {
                special.add(row);
                continue;
            }
            deliveryIds.add(row.getLong("id"));
            until.add(now.plus(queue.visibilityTimeout(type)));
            requestIds.add(byBox.get(boxId).requestId());
            // A box command's row stays queued: its in_progress is its delivery's (CommandView.SHOWN_STATE).
            if (!"box".equals(row.getString("target_kind"))) {
                commandIds.add(row.getLong("command_id"));
            }
            leased.put(boxId, new CommandQueue.Leased(row.getLong("command_id"), type.code(), row.getShort("priority"),
                    CommandQueue.targetText(row), row.getString("contents")));
        }
        String handOutDeliveries = "UPDATE command_deliveries d SET state = 'delivered',"
                + "   attempts = d.attempts + 1, leased_until = u.until, leased_by = $4,"
                + "   lease_request = u.request, updated_at = now()"
                + "   FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS u(id, until, request)"
                + "   WHERE d.id = u.id";
        Tuple handedParameters = Tuple.of(deliveryIds.toArray(new Long[0]), until.toArray(new OffsetDateTime[0]),
                requestIds.toArray(new String[0]), edgeId);
        Uni<Void> plain = deliveryIds.isEmpty() ? Uni.createFrom().voidItem()
                : commandIds.isEmpty() ? db.preparedQuery(handOutDeliveries).execute(handedParameters).replaceWithVoid()
                // One statement for the deliveries and the group commands they start; the command rows are
                // locked in id order, so two batches starting the same commands cannot deadlock.
                : db.preparedQuery("WITH handed AS (" + handOutDeliveries + ")"
                                + " UPDATE commands SET state = 'in_progress', updated_at = now()"
                                + " WHERE id IN (SELECT id FROM commands WHERE id = ANY($5) AND state = 'queued'"
                                + " ORDER BY id FOR UPDATE) AND state = 'queued'")
                        .execute(handedParameters.addArrayOfLong(commandIds.stream().distinct().sorted()
                                .toArray(Long[]::new)))
                        .replaceWithVoid();
        return plain.flatMap(v -> sequentially(special.size(), i -> {
            Row row = special.get(i);
            int boxId = row.getInteger("box_id");
            return queue.handOut(db, new CommandQueue.Lease(boxId, edgeId, byBox.get(boxId).requestId(), now), row,
                    false, 1).onItem().invoke(handed -> {
                        if (handed != null) {
                            leased.put(boxId, handed.leased());
                        }
                    });
        }));
    }

    /** Whether each box has more due after this lease, by box id. */
    private static Uni<Map<Integer, Boolean>> morePending(SqlClient db, Integer[] boxIds, OffsetDateTime now) {
        return db.preparedQuery("SELECT q.box_id, EXISTS (SELECT 1 FROM command_deliveries d"
                        + " JOIN commands c ON c.id = d.command_id WHERE d.box_id = q.box_id" + CommandQueue.MORE_DUE
                        + ") AS more FROM unnest($1::int[]) AS q(box_id)")
                .execute(Tuple.of(boxIds, now))
                .onItem().transform(rows -> {
                    Map<Integer, Boolean> more = new HashMap<>();
                    rows.forEach(row -> more.put(row.getInteger("box_id"), row.getBoolean("more")));
                    return more;
                });
    }

    /** Runs {@code step} for 0..count-1, one after another on the transaction's connection. */
    static <T> Uni<Void> sequentially(int count, java.util.function.IntFunction<Uni<T>> step) {
        if (count == 0) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().range(0, count)
                .onItem().transformToUniAndConcatenate(i -> step.apply(i).replaceWith(i))
                .collect().last().replaceWithVoid();
    }
}
