package io.starconsole.functions.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The box's side of the queue, as the edges relay it: lease the next delivery, and (in
 * {@link CommandResults}) report its result. A box has at most one delivery out at a time, and
 * its leases are serialised by a per-box advisory lock, so concurrent leases on any number of
 * instances never hand out one delivery twice and never out of order. Times come in as a parameter
 * so tests can move the clock.
 */
@ApplicationScoped
public class CommandQueue {

    /**
     * SQL (deliveries aliased {@code d}): a delivery the box should be told about — queued, or
     * handed out earlier but not acknowledged within its lease (so it will be handed out again).
     */
    public static final String DUE_FOR_DELIVERY =
            "(d.state = 'queued' OR (d.state = 'delivered' AND d.leased_until <= now()))";


    static final int MAX_TRANSACTION_ATTEMPTS = 3;
    /** Deliveries failed on the way (e.g. a promised address taken) before giving up for this call. */
    private static final int MAX_PICKS = 4;
    private static final String ANY_ADDRESS = "0.0.0.0";
    /** First key of the per-box advisory lock that serialises leases (the second is the box id). */
    static final int BOX_QUEUE_LOCK_CLASS = 0x5c0_0001;

    private final Pool pool;
    private final CommandConfig config;
    private final PairedOperations pairs;
    private final FirmwareUpdates firmware;

    public CommandQueue(Pool pool, CommandConfig config, PairedOperations pairs, FirmwareUpdates firmware) {
        this.pool = pool;
        this.config = config;
        this.pairs = pairs;
        this.firmware = firmware;
    }

    /**
     * ASK_USER_CMD relayed by an edge. {@code requestId} (optional, the same on the edge's retries of
     * one relay) makes a retry idempotent: its answer is the delivery the first try leased, in case
     * that answer was lost on the way back.
     */
    public record LeaseRequest(String publicKey, String edgeId, String requestId) {
    }

    /** What the box carries out: {@code type} 100..112, {@code priority} 0 normal / 1 high. */
    public record Leased(long commandId, int type, int priority, String target, String contents) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LeaseAnswer(Leased command, boolean morePending) {
    }

    public Uni<LeaseAnswer> lease(String publicKey, String edgeId, OffsetDateTime now) {
        return lease(publicKey, edgeId, null, now);
    }

    public Uni<LeaseAnswer> lease(String publicKey, String edgeId, String requestId, OffsetDateTime now) {
        return TransientFailures.retry(() -> Transactions.run(pool, db -> lockedBoxId(db, publicKey)
                .flatMap(boxId -> materialiseLateJoiners(db, boxId)
                        .flatMap(v -> expireAndGiveUpReadingOutstanding(db, new Integer[] {boxId}, now))
                        .flatMap(outstanding -> {
                            Lease lease = new Lease(boxId, edgeId, requestId, now);
                            // One delivery out at a time per box: while one is handed out and its lease
                            // runs, the box gets nothing else, so a lost answer cannot let a later
                            // command overtake an earlier one.
                            if (outstanding.isEmpty()) {
                                return pick(db, lease, 1);
                            }
                            Row out = outstanding.get(0);
                            // The same relay tried again: its first answer may have been lost.
                            return requestId != null && requestId.equals(out.getString("lease_request"))
                                    ? handOutAgain(db, lease, out.getLong("id")) : Uni.createFrom().<HandedOut>nullItem();
                        })
                        .flatMap(handed -> handed != null
                                ? Uni.createFrom().item(new LeaseAnswer(handed.leased(), handed.morePending()))
                                : morePending(db, boxId, now).onItem().transform(more -> new LeaseAnswer(null, more))))),
                MAX_TRANSACTION_ATTEMPTS);
    }

    /** A delivery handed out, and whether its box has more due after it (read by the same statement). */
    record HandedOut(Leased leased, boolean morePending) {
    }

    /**
     * The box by its key, with its queue locked: the leases of one box are serialised (until the
     * transaction ends) without locking its {@code spnclients} row, which presence and registration
     * update all the time. Only the id is read, which the lock does not guard.
     */
    private static Uni<Integer> lockedBoxId(SqlClient db, String publicKey) {
        return db.preparedQuery("SELECT id, pg_advisory_xact_lock($1, id) FROM spnclients WHERE publickey = $2")
                .execute(Tuple.of(BOX_QUEUE_LOCK_CLASS, publicKey))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("box");
                    }
                    return rows.iterator().next().getInteger("id");
                });
    }

    /** The delivery a box has out, and the relay request that leased it. */
    record Outstanding(long deliveryId, String requestId) {
    }

    /** Who leases, and when. */
    record Lease(int boxId, String edgeId, String requestId, OffsetDateTime now) {
    }

    /**
     * Gives an accepted box a delivery of every open group or all-boxes command with
     * {@code includeLateJoiners} that reaches it and that it has none of; whether it got any.
     */
    public Uni<Boolean> materialiseLateJoiners(SqlClient db, int boxId) {
        return materialiseLateJoiners(db, "b.id = $1", boxId).onItem().transform(joined -> !joined.isEmpty());
    }

    /** The same for several boxes in one statement: the ids of the boxes that got at least one delivery. */
    public Uni<java.util.Set<Integer>> materialiseLateJoiners(SqlClient db, Integer[] boxIds) {
        return materialiseLateJoiners(db, "b.id = ANY($1)", boxIds);
    }

    /**
     * {@code boxes}: the condition on {@code b.id} with its parameter {@code $1}, one box or an array;
     * the ids of the boxes given at least one delivery.
     */
    private static Uni<java.util.Set<Integer>> materialiseLateJoiners(SqlClient db, String boxes, Object boxParameter) {
        return db.preparedQuery("INSERT INTO command_deliveries (command_id, box_id)"
                        + " SELECT c.id, b.id FROM spnclients b JOIN commands c ON c.include_late_joiners"
                        + "   AND c.cancelled_at IS NULL"
                        + "   AND (c.target_kind = 'all' OR (c.target_kind = 'group' AND c.target_value = b.groupname))"
                        + " WHERE " + boxes + " AND b.admission = 'accepted'"
                        + "   AND (c.expires_at IS NULL OR c.expires_at > now())"
                        + "   AND NOT EXISTS (SELECT 1 FROM command_deliveries x WHERE x.command_id = c.id AND x.box_id = b.id)"
                        + " ORDER BY b.id, c.id ON CONFLICT (command_id, box_id) DO NOTHING RETURNING command_id, box_id")
                .execute(Tuple.of(boxParameter))
                .flatMap(rows -> {
                    java.util.Set<Integer> joined = new java.util.HashSet<>();
                    rows.forEach(row -> joined.add(row.getInteger("box_id")));
                    return CommandStates.recompute(db, CommandStates.commandIds(rows)).replaceWith(joined);
                });
    }

    /**
     * Marks expired what can no longer be delivered in time, and failed what reached the attempt cap
     * unacknowledged, for all boxes (the sweep). How many changed.
     */
    Uni<Integer> expireAndGiveUp(SqlClient db, OffsetDateTime now) {
        return db.preparedQuery(endOverdue(null) + " SELECT * FROM expired UNION ALL SELECT * FROM failed")
                .execute(Tuple.of(now, config.maxAttempts()))
                .flatMap(ended -> finished(db, ended).replaceWith(ended.rowCount()));
    }

    /**
     * The same for these boxes, and the deliveries they have out (columns {@code box_id}, {@code id},
     * {@code lease_request}), read by the same statement: its snapshot is from before the expiry, which
     * never touches a delivery whose lease still runs, so it reads what a later statement would.
     */
    Uni<List<Row>> expireAndGiveUpReadingOutstanding(SqlClient db, Integer[] boxIds, OffsetDateTime now) {
        boolean one = boxIds.length == 1;
        return db.preparedQuery(endOverdue(boxIds)
                        + " SELECT command_id, box_id, type, NULL::bigint AS id, NULL::text AS lease_request FROM expired"
                        + " UNION ALL SELECT command_id, box_id, type, NULL, NULL FROM failed"
                        + " UNION ALL SELECT NULL, d.box_id, NULL, d.id, d.lease_request FROM command_deliveries d"
                        + " WHERE d.state = 'delivered' AND d.leased_until > $1" + onBoxes(boxIds))
                .execute(Tuple.of(now, config.maxAttempts(), one ? boxIds[0] : boxIds))
                .flatMap(rows -> {
                    List<Row> ended = new java.util.ArrayList<>();
                    List<Row> out = new java.util.ArrayList<>();
                    rows.forEach(row -> (row.getLong("command_id") == null ? out : ended).add(row));
                    return finished(db, ended).replaceWith(out);
                });
    }

    /**
     * SQL: the expiry and the attempt cap as the CTEs {@code expired} and {@code failed} (columns
     * {@code command_id}, {@code box_id}, {@code type}); {@code $1} now, {@code $2} the cap, {@code $3}
     * the boxes (absent for all). One statement: the cap leaves alone what expires, as running the
     * expiry first did.
     */
    private static String endOverdue(Integer[] boxIds) {
        String returning = " RETURNING d.command_id, d.box_id, c.type";
        String onBoxes = onBoxes(boxIds);
        return "WITH expired AS (UPDATE command_deliveries d SET state = 'expired', leased_until = NULL,"
                + " updated_at = now() FROM commands c WHERE c.id = d.command_id AND c.expires_at <= $1"
                + " AND (d.state = 'queued' OR (d.state = 'delivered' AND d.leased_until <= $1))"
                + onBoxes + returning + "),"
                + " failed AS (UPDATE command_deliveries d SET state = 'failed',"
                + " leased_until = NULL, updated_at = now(),"
                + " result = 'no acknowledgement after ' || d.attempts || ' attempts'"
                + " FROM commands c WHERE c.id = d.command_id AND d.state = 'delivered'"
                + " AND d.leased_until <= $1 AND d.attempts >= $2"
                + " AND (c.expires_at IS NULL OR c.expires_at > $1)" + onBoxes + returning + ")";
    }

    /** SQL: {@code d.box_id} is {@code $3}, one box (a plain equality, as its plan has always been) or an array. */
    private static String onBoxes(Integer[] boxIds) {
        if (boxIds == null) {
            return "";
        }
        return boxIds.length == 1 ? " AND d.box_id = $3" : " AND d.box_id = ANY($3)";
    }

    /** After deliveries ended badly: promised addresses back, command states, P2P partners. */
    Uni<Void> finished(SqlClient db, Iterable<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return Uni.createFrom().voidItem();
        }
        List<Long> ids = CommandStates.commandIds(rows);
        return CommandStates.releaseReservations(db, rows)
                .flatMap(v -> CommandStates.recompute(db, ids))
                .flatMap(v -> pairs.settle(db, ids));
    }

    static final String DELIVERY_TO_HAND_OUT = "SELECT d.id, d.box_id, d.command_id, c.type, c.priority, c.target_kind,"
            + " c.target_value, c.contents, b.vpnip, b.groupname"
            + " FROM command_deliveries d JOIN commands c ON c.id = d.command_id JOIN spnclients b ON b.id = d.box_id";

    /**
     * SQL after {@link #DELIVERY_TO_HAND_OUT} and a condition on {@code d.box_id}: the head of that box's
     * queue at {@code $2}, locked. Not SKIP LOCKED: skipping a head row locked by a cancel would hand
     * out the next one first.
     */
    static final String HEAD_OF_QUEUE = " AND (d.state = 'queued' OR (d.state = 'delivered' AND d.leased_until <= $2))"
            + " AND (c.not_before IS NULL OR c.not_before <= $2) AND (c.expires_at IS NULL OR c.expires_at > $2)"
            + " ORDER BY c.priority DESC, c.id LIMIT 1 FOR UPDATE OF d";

    private Uni<HandedOut> pick(SqlClient db, Lease lease, int attempt) {
        return db.preparedQuery(DELIVERY_TO_HAND_OUT + " WHERE d.box_id = $1" + HEAD_OF_QUEUE)
                .execute(Tuple.of(lease.boxId(), lease.now()))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().<HandedOut>nullItem()
                        : handOut(db, lease, rows.iterator().next(), false, attempt));
    }

    Uni<HandedOut> handOutAgain(SqlClient db, Lease lease, long deliveryId) {
        return db.preparedQuery(DELIVERY_TO_HAND_OUT + " WHERE d.id = $1 FOR UPDATE OF d")
                .execute(Tuple.of(deliveryId))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().<HandedOut>nullItem()
                        : handOut(db, lease, rows.iterator().next(), true, 1));
    }

    /** Leases this delivery to the box ({@code again}: to the same relay request, not counted as a new attempt). */
    Uni<HandedOut> handOut(SqlClient db, Lease lease, Row row, boolean again, int attempt) {
        int boxId = lease.boxId();
        CommandType type = CommandType.ofCode(row.getShort("type"));
        long deliveryId = row.getLong("id");
        long commandId = row.getLong("command_id");
        OffsetDateTime until = lease.now().plus(visibilityTimeout(type));
        String stored = row.getString("contents");
        Uni<Deliverable> deliverable = switch (type) {
            case CHANGE_L3_SPN_IP_ADDRESS -> reserve(db, boxId, commandId, stored, row.getString("groupname"))
                    .onItem().transform(ok -> ok ? new Deliverable(stored, null)
                            : new Deliverable(null, "the new SPN IP is no longer free"));
            // The release key and a fresh download token exist only in this answer, never in the table.
            case UPDATE_FIRMWARE -> firmware.expand(db, deliveryId, boxId, stored, lease.now())
                    .onItem().transform(expanded -> expanded != null ? new Deliverable(expanded, null)
                            : new Deliverable(null, firmware.refusal()));
            default -> Uni.createFrom().item(new Deliverable(stored, null));
        };
        return deliverable.flatMap(ready -> {
            if (ready.refusal() != null) {
                return db.preparedQuery("UPDATE command_deliveries SET state = 'failed', updated_at = now(),"
                                + " leased_until = NULL, result = $2 WHERE id = $1")
                        .execute(Tuple.of(deliveryId, ready.refusal()))
                        .flatMap(v -> CommandStates.recompute(db, List.of(commandId)))
                        .flatMap(v -> attempt >= MAX_PICKS ? Uni.createFrom().<HandedOut>nullItem()
                                : pick(db, lease, attempt + 1));
            }
            // More due for the box, read in the same statement: its snapshot is from before the hand-out,
            // so the delivery handed out is left out by its id (once leased it is not due). A box
            // command's row stays as it is: its in_progress is its delivery's (CommandView.SHOWN_STATE).
            boolean boxCommand = "box".equals(row.getString("target_kind"));
            List<Object> parameters = new java.util.ArrayList<>(Arrays.asList(deliveryId, lease.now(), until,
                    lease.edgeId(), lease.requestId(), boxId));
            String started = "";
            if (!boxCommand) {
                parameters.add(commandId);
                started = " started AS (UPDATE commands SET state = 'in_progress', updated_at = now()"
                        + " WHERE id = $7 AND state = 'queued'),";
            }
            return db.preparedQuery("WITH" + started + " delivery AS (UPDATE command_deliveries SET state = 'delivered',"
                            + " attempts = attempts + " + (again ? "0" : "1") + ","
                            + " leased_until = $3, leased_by = $4, lease_request = $5, updated_at = now() WHERE id = $1)"
                            + " SELECT EXISTS (SELECT 1 FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
                            + " WHERE d.box_id = $6 AND d.id <> $1" + MORE_DUE + ")")
                    .execute(Tuple.from(parameters))
                    .onItem().transform(more -> new HandedOut(new Leased(commandId, type.code(), row.getShort("priority"),
                            targetText(row), ready.contents()), more.iterator().next().getBoolean(0)));
        });
    }

    /** What a delivery carries to the box, or why it cannot be delivered any more. */
    private record Deliverable(String contents, String refusal) {
    }

    java.time.Duration visibilityTimeout(CommandType type) {
        if (type == CommandType.UPDATE_FIRMWARE) {
            return config.firmwareVisibilityTimeout();
        }
        return type.risky() ? config.riskyVisibilityTimeout() : config.visibilityTimeout();
    }

    static String targetText(Row row) {
        return switch (row.getString("target_kind")) {
            case "box" -> row.getString("vpnip");
            case "group" -> row.getString("target_value");
            default -> ANY_ADDRESS;
        };
    }

    /**
     * Promises the new SPN IP of a CHANGE_L3_SPN_IP_ADDRESS to the box: a {@code reserved} lease with
     * the box's id, which registration honours when the box asks for it. False when another holds it.
     */
    private Uni<Boolean> reserve(SqlClient db, int boxId, long commandId, String contents, String group) {
        CommandArguments.AddressAndMask wanted = CommandArguments.addressAndMask(contents);
        return db.preparedQuery("INSERT INTO address_leases (address, pool_id, box_id, state, pinned, note)"
                        + " SELECT $1::text::inet, p.id, $2, 'reserved', false, $3 FROM address_pools p"
                        + " WHERE p.groupname IS NOT DISTINCT FROM $4 OR (p.groupname IS NULL AND NOT EXISTS"
                        + "   (SELECT 1 FROM address_pools g WHERE g.groupname = $4))"
                        + " ORDER BY p.groupname NULLS LAST LIMIT 1"
                        + " ON CONFLICT (address) DO UPDATE SET box_id = EXCLUDED.box_id, state = 'reserved',"
                        + "   pinned = false, note = EXCLUDED.note, bound_at = NULL, cool_down_until = NULL"
                        + " WHERE (address_leases.state = 'cooling'"
                        + "     AND (address_leases.cool_down_until <= now() OR address_leases.box_id = $2))"
                        + "   OR (address_leases.state = 'reserved' AND address_leases.box_id = $2)"
                        + " RETURNING address")
                .execute(Tuple.of(wanted.addressText(), boxId, CommandStates.reservationNote(commandId), group))
                .flatMap(rows -> rows.rowCount() > 0 ? Uni.createFrom().item(true)
                        // already bound to this very box: nothing to promise
                        : db.preparedQuery("SELECT 1 FROM address_leases WHERE address = $1::text::inet AND box_id = $2"
                                        + " AND state = 'bound'")
                                .execute(Tuple.of(wanted.addressText(), boxId))
                                .onItem().transform(bound -> bound.size() > 0));
    }

    /** SQL after a condition on {@code d.box_id}: a delivery due for it at {@code $2} ({@code c}: its command). */
    static final String MORE_DUE = " AND " + DUE_FOR_DELIVERY + " AND (c.not_before IS NULL OR c.not_before <= $2)"
            + " AND (c.expires_at IS NULL OR c.expires_at > $2)";

    private Uni<Boolean> morePending(SqlClient db, int boxId, OffsetDateTime now) {
        return db.preparedQuery("SELECT EXISTS (SELECT 1 FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
                        + " WHERE d.box_id = $1" + MORE_DUE + ")")
                .execute(Tuple.of(boxId, now))
                .onItem().transform(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * The sweep over all boxes: expiry and the attempt cap, and commands whose settling after a
     * result did not happen; how many deliveries and commands changed.
     */
    public Uni<Integer> sweep(OffsetDateTime now) {
        return TransientFailures.retry(() -> Transactions.run(pool, db -> expireAndGiveUp(db, now)
                        .flatMap(changed -> CommandStates.settleStragglers(db).onItem().transform(settled -> changed + settled))),
                MAX_TRANSACTION_ATTEMPTS);
    }

    /** {@code POST /internal/v1/commands/pending}; {@code waitMillis} holds the answer until there is work. */
    public record PendingRequest(String edgeId, String after, Long waitMillis) {
    }

    /** The boxes to wake, and the cursor to ask with next (in JSON, its text). */
    public record Pending(FeedCursor cursor, List<String> boxes) {
    }

    /** Rows of the feed in one answer; more come in the next, at once. */
    static final int FEED_PAGE = 10_000;

    /**
     * Boxes of this edge whose queued deliveries' transactions committed after the cursor's snapshot:
     * one range scan of the queued deliveries' transaction ids from the oldest one the snapshot saw
     * running, read in (and so consistent with) the snapshot the answer's cursor holds.
     */
    public Uni<Pending> pending(String edgeId, FeedCursor after) {
        return pending(edgeId, after, FEED_PAGE);
    }

    Uni<Pending> pending(String edgeId, FeedCursor after, int pageRows) {
        return pool.preparedQuery(feedQuery(after, pageRows))
                .execute(feedParameters(edgeId, after))
                .onItem().transform(rows -> {
                    String now = null;
                    long lastId = 0;
                    int found = 0;
                    Set<String> boxes = new LinkedHashSet<>();
                    for (Row row : rows) {
                        now = row.getString("now_snapshot");
                        Long id = row.getLong("id");
                        if (id != null) {
                            found++;
                            lastId = id;
                            boxes.add(row.getString("publickey"));
                        }
                    }
                    return new Pending(after.next(now, found >= pageRows, lastId), new ArrayList<>(boxes));
                });
    }

    /**
     * The feed's statement for a cursor of this shape: parameters edge id, id after, then the
     * reported snapshot and the paging snapshot when the cursor has them ({@link #feedParameters}).
     * The deliveries are read first, from the index of queued deliveries by transaction, then each
     * one's box by its key, and only then is the box's edge compared ({@code OFFSET 0} keeps both
     * subqueries planned as written, conditions outside them not pushed in): with the edge's box
     * count misjudged (statistics lag a fleet that registers by the thousand) the planner otherwise
     * went box by box through every queued delivery of the edge, those still waiting for offline
     * boxes included, on every call, or scanned the edge's boxes once per new delivery.
     */
    static String feedQuery(FeedCursor after, int pageRows) {
        StringBuilder newSinceCursor = new StringBuilder();
        int p = 2;
        if (after.reported() != null) {
            p++;
            newSinceCursor.append(" AND enqueued_xid >= pg_snapshot_xmin($").append(p).append("::pg_snapshot)")
                    .append(" AND NOT pg_visible_in_snapshot(enqueued_xid, $").append(p).append("::pg_snapshot)");
        }
        if (after.upTo() != null) {
            p++;
            newSinceCursor.append(" AND pg_visible_in_snapshot(enqueued_xid, $").append(p).append("::pg_snapshot)");
        }
        return "SELECT now_snapshot::text AS now_snapshot, f.id, f.publickey FROM pg_current_snapshot() AS now_snapshot"
                + " LEFT JOIN LATERAL (SELECT d.id, b.publickey"
                + "   FROM (SELECT id, box_id FROM command_deliveries WHERE state = 'queued' AND id > $2" + newSinceCursor
                + "     OFFSET 0) d"
                + "   CROSS JOIN LATERAL (SELECT publickey, edge_id FROM spnclients b WHERE b.id = d.box_id OFFSET 0) b"
                + "   WHERE b.edge_id = $1 ORDER BY d.id LIMIT " + pageRows + ") f ON true ORDER BY f.id";
    }

    static Tuple feedParameters(String edgeId, FeedCursor after) {
        Tuple parameters = Tuple.of(edgeId, after.afterId());
        if (after.reported() != null) {
            parameters.addString(after.reported());
        }
        if (after.upTo() != null) {
            parameters.addString(after.upTo());
        }
        return parameters;
    }
}
