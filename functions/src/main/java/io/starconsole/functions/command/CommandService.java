package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.AddressPoolRepository;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enqueue and cancel: every argument is checked before anything is written, and everything a
 * command sets off (its deliveries, what it supersedes, what a FLUSH cancels, a P2P pair's second
 * command) happens in one transaction.
 */
@ApplicationScoped
public class CommandService {

    private static final int MAX_TRANSACTION_ATTEMPTS = 3;

    private final Pool pool;
    private final Targets targets;
    private final AddressPoolRepository pools;
    private final CommandQueries queries;
    private final AuditLog audit;
    private final FirmwareUpdates firmware;
    private final DeliveryNotices notices;

    public CommandService(Pool pool, Targets targets, AddressPoolRepository pools, CommandQueries queries,
                          AuditLog audit, FirmwareUpdates firmware, DeliveryNotices notices) {
        this.firmware = firmware;
        this.notices = notices;
        this.pool = pool;
        this.targets = targets;
        this.pools = pools;
        this.queries = queries;
        this.audit = audit;
    }

    /** {@code POST /api/v1/commands}. */
    public record EnqueueRequest(Object type, Targets.Spec target, String arguments, String priority,
                                 String notBefore, String expiresAt, Boolean includeLateJoiners, Targets.Spec peer) {
    }

    /** A checked request, ready to be written. */
    record Checked(CommandType type, Targets.Target target, String contents, int priority, OffsetDateTime notBefore,
                   OffsetDateTime expiresAt, boolean lateJoiners, Targets.Target peer) {
    }

    /** A command row to insert. */
    record NewCommand(CommandType type, int priority, String targetKind, String targetValue, String contents,
                      boolean lateJoiners, OffsetDateTime notBefore, OffsetDateTime expiresAt, Long operationId,
                      Long undoes, String createdBy, String createdFrom) {
    }

    public Uni<CommandView> enqueue(EnqueueRequest request, Caller caller) {
        Checked checked = check(request, OffsetDateTime.now(ZoneOffset.UTC));
        if (BoxCommandRuns.plain(checked)) {
            // Its view is the inserted row with its one queued delivery, as committed: no read after.
            return TransientFailures.retry(() -> Transactions.run(pool, DeliveryNotices.ANNOUNCE_AFTER_COMMIT_WITH_GENERIC_PLANS,
                                    db -> BoxCommandRuns.write(db, List.of(checked), caller, (position, refused) -> refused)
                                    .flatMap(rows -> audit.record(db, List.of(auditEntry(checked,
                                                    new Written(rows.get(0).getLong("id"), 1, null), caller)))
                                            .replaceWith(CommandView.from(rows.get(0), ONE_QUEUED)))),
                            MAX_TRANSACTION_ATTEMPTS)
                    .invoke(view -> notices.announceQueued(List.of(view.id())));
        }
        // The audit entry in the command's own transaction: one commit per command, not two.
        return TransientFailures.retry(() -> Transactions.run(pool, DeliveryNotices.ANNOUNCE_AFTER_COMMIT, db -> write(db, checked, caller)
                                .flatMap(written -> audit.record(db, List.of(auditEntry(checked, written, caller)))
                                        .replaceWith(written))),
                        MAX_TRANSACTION_ATTEMPTS)
                .invoke(written -> notices.announceQueued(List.of(written.id())))
                .flatMap(written -> queries.find(written.id()));
    }

    /** The counts of a single-box command just queued. */
    private static final CommandView.Counts ONE_QUEUED = CommandView.Counts.of(Map.of("queued", 1L));

    /** Commands in one {@code POST /api/v1/commands/batch} at most. */
    public static final int MAX_BATCH = 1000;

    /** {@code POST /api/v1/commands/batch}: {@code commands} in the order they are queued. */
    public record EnqueueBatch(List<EnqueueRequest> commands) {
    }

    /**
     * Several commands queued together, in order: each checked as a single enqueue is, all written in
     * one transaction or none; an error names the entry at fault ({@code commands[i].field}).
     */
    public Uni<List<CommandView>> enqueueAll(EnqueueBatch batch, Caller caller) {
        if (batch == null || batch.commands() == null || batch.commands().isEmpty()) {
            throw ApiException.badField("commands", "commands must list at least one command");
        }
        if (batch.commands().size() > MAX_BATCH) {
            throw ApiException.badField("commands", "at most " + MAX_BATCH + " commands in one batch");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Checked> checked = new ArrayList<>();
        for (int i = 0; i < batch.commands().size(); i++) {
            int index = i;
            checked.add(ofEntry(index, () -> check(batch.commands().get(index), now)));
        }
        List<int[]> segments = BoxCommandRuns.segments(checked);
        return TransientFailures.retry(() -> Transactions.run(pool, DeliveryNotices.ANNOUNCE_AFTER_COMMIT, db -> {
                    List<AuditLog.Entry> entries = new ArrayList<>();
                    List<Long> ids = new ArrayList<>();
                    List<Row> inserted = new ArrayList<>();
                    return LeaseBatches.sequentially(segments.size(), s -> {
                                int from = segments.get(s)[0];
                                int to = segments.get(s)[1];
                                if (!BoxCommandRuns.plain(checked.get(from))) {
                                    return write(db, checked.get(from), caller)
                                            .onFailure(ApiException.class)
                                            .transform(refused -> entryError(from, (ApiException) refused))
                                            .onItem().invoke(written -> {
                                                ids.add(written.id());
                                                entries.add(auditEntry(checked.get(from), written, caller));
                                            }).replaceWithVoid();
                                }
                                return BoxCommandRuns.write(db, checked.subList(from, to), caller,
                                                (position, refused) -> entryError(from + position, refused))
                                        .onItem().invoke(rows -> {
                                            inserted.addAll(rows);
                                            for (int i = from; i < to; i++) {
                                                Written written = new Written(rows.get(i - from).getLong("id"), 1, null);
                                                ids.add(written.id());
                                                entries.add(auditEntry(checked.get(i), written, caller));
                                            }
                                        }).replaceWithVoid();
                            })
                            .flatMap(v -> audit.record(db, entries))
                            .replaceWith(() -> new WrittenBatch(ids, inserted));
                }), MAX_TRANSACTION_ATTEMPTS)
                .invoke(written -> notices.announceQueued(written.ids()))
                .flatMap(written -> BoxCommandRuns.answeredAsInserted(checked, written.plainRows())
                        // As the single enqueue: each view is the inserted row with its one queued delivery.
                        ? Uni.createFrom().item(written.plainRows().stream().map(row -> CommandView.from(row, ONE_QUEUED))
                                .toList())
                        : queries.findAll(written.ids()));
    }

    /** A batch's commands as written: their ids in order, and the rows of those written in runs. */
    private record WrittenBatch(List<Long> ids, List<Row> plainRows) {
    }

    private static <T> T ofEntry(int index, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (ApiException refused) {
            throw entryError(index, refused);
        }
    }

    /** The refusal of one entry of a batch, naming it. */
    private static ApiException entryError(int index, ApiException refused) {
        String entry = "commands[" + index + "]";
        return new ApiException(refused.status(), refused.code(), entry + ": " + refused.getMessage(),
                refused.field() == null ? entry : entry + "." + refused.field());
    }

    private static AuditLog.Entry auditEntry(Checked checked, Written written, Caller caller) {
        return new AuditLog.Entry(caller.actor(), "command.enqueued", "command:" + written.id(),
                auditDetail(checked, written), caller.source());
    }

    /** What was written: the command (the first of a pair) and how many boxes it reaches. */
    record Written(long id, int boxes, Long peerCommandId) {
    }

    static Checked check(EnqueueRequest request, OffsetDateTime now) {
        if (request == null) {
            throw ApiException.badField("type", "a JSON body is required");
        }
        CommandType type = CommandType.parse(request.type(), "type");
        Targets.Target target = Targets.check(request.target(), "target");
        String contents = CommandArguments.contents(type, request.arguments());
        int priority;
        if (request.priority() == null || "normal".equals(request.priority())) {
            priority = 0;
        } else if ("high".equals(request.priority())) {
            priority = 1;
        } else {
            throw ApiException.badField("priority", "priority must be normal or high");
        }
        OffsetDateTime notBefore = instant(request.notBefore(), "notBefore");
        OffsetDateTime expiresAt = instant(request.expiresAt(), "expiresAt");
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.badField("expiresAt", "expiresAt must be in the future");
        }
        if (expiresAt != null && notBefore != null && !expiresAt.isAfter(notBefore)) {
            throw ApiException.badField("expiresAt", "expiresAt must be after notBefore");
        }
        Targets.Target peer = null;
        if (request.peer() != null) {
            if (!type.p2p()) {
                throw ApiException.badField("peer", "peer is only for ADD_P2P_SPN_TUNNEL and REMOVE_P2P_SPN_TUNNEL");
            }
            peer = Targets.check(request.peer(), "peer");
            if (!"box".equals(peer.kind()) || !"box".equals(target.kind())) {
                throw ApiException.badField("peer", "a P2P pair joins two boxes: target and peer must each be {\"box\": ...}");
            }
        }
        // A FLUSH clears what is queued now; it is never held back for boxes that join later.
        boolean lateJoiners = Boolean.TRUE.equals(request.includeLateJoiners()) && type != CommandType.FLUSH_USER_CMDS
                && !"box".equals(target.kind());
        return new Checked(type, target, contents, priority, notBefore, expiresAt, lateJoiners, peer);
    }

    private static OffsetDateTime instant(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiException.badField(field, field + " must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
        }
    }

    private Uni<Written> write(SqlClient db, Checked checked, Caller caller) {
        if (checked.type() == CommandType.UPDATE_FIRMWARE) {
            return firmware.checkRelease(db, CommandArguments.firmware(checked.contents()).releaseId())
                    .flatMap(v -> writeChecked(db, checked, caller));
        }
        return writeChecked(db, checked, caller);
    }

    private Uni<Written> writeChecked(SqlClient db, Checked checked, Caller caller) {
        if (!"box".equals(checked.target().kind())) {
            NewCommand command = newCommand(checked, checked.target().kind(), checked.target().value(),
                    checked.contents(), null, caller);
            return insert(db, command).flatMap(id -> targets.deliverToAll(db, id, checked.target()).flatMap(boxes -> {
                if (boxes == 0 && !checked.lateJoiners()) {
                    throw ApiException.conflict("no_boxes", "the target reaches no box; nothing was queued"
                            + " (set includeLateJoiners to queue it for boxes that join later)");
                }
                return afterDeliveries(db, id, checked.type()).replaceWith(new Written(id, boxes, null));
            }));
        }
        return targets.box(db, checked.target().value(), "target").flatMap(box -> {
            Uni<Void> ready = checked.type() == CommandType.CHANGE_L3_SPN_IP_ADDRESS
                    ? checkNewAddress(db, box, checked.contents()) : Uni.createFrom().voidItem();
            if (checked.peer() != null) {
                return ready.flatMap(v -> targets.box(db, checked.peer().value(), "peer"))
                        .flatMap(peer -> writePair(db, checked, box, peer, caller));
            }
            return ready.flatMap(v -> insertForBox(db, newCommand(checked, "box", Integer.toString(box.id()),
                            checked.contents(), null, caller), box.id()))
                    .onItem().transform(id -> new Written(id, 1, null));
        });
    }

    private static NewCommand newCommand(Checked checked, String kind, String value, String contents, Long operationId,
                                         Caller caller) {
        return new NewCommand(checked.type(), checked.priority(), kind, value, contents, checked.lateJoiners(),
                checked.notBefore(), checked.expiresAt(), operationId, null, caller.actor(), caller.source());
    }

    /** Inserts a single-box command and its delivery, then supersedes or flushes; the command id. */
    Uni<Long> insertForBox(SqlClient db, NewCommand command, int boxId) {
        return insert(db, command).flatMap(id -> targets.deliverTo(db, id, boxId)
                .flatMap(v -> afterDeliveries(db, id, command.type())).replaceWith(id));
    }

    static Uni<Long> insert(SqlClient db, NewCommand c) {
        return db.preparedQuery("INSERT INTO commands (type, priority, target_kind, target_value, contents,"
                        + " include_late_joiners, not_before, expires_at, operation_id, undoes_command_id, created_by,"
                        + " created_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id")
                .execute(Tuple.from(Arrays.asList((short) c.type().code(), (short) c.priority(), c.targetKind(),
                        c.targetValue(), c.contents(), c.lateJoiners(), c.notBefore(), c.expiresAt(), c.operationId(),
                        c.undoes(), c.createdBy(), c.createdFrom())))
                .onItem().transform(rows -> rows.iterator().next().getLong("id"));
    }

    /** Superseding (100, 104, 105) and FLUSH_USER_CMDS (111), once the command's deliveries exist. */
    private Uni<Void> afterDeliveries(SqlClient db, long id, CommandType type) {
        if (type.supersedes()) {
            return db.preparedQuery("UPDATE command_deliveries d SET state = 'superseded',"
                            + " result = 'superseded by command ' || $1::bigint, updated_at = now()"
                            + " FROM commands c WHERE c.id = d.command_id AND c.type = $2 AND d.state = 'queued'"
                            + " AND d.command_id <> $1"
                            + " AND d.box_id IN (SELECT box_id FROM command_deliveries WHERE command_id = $1)"
                            + " RETURNING d.command_id")
                    .execute(Tuple.of(id, (short) type.code()))
                    .flatMap(rows -> CommandStates.recompute(db, CommandStates.commandIds(rows)));
        }
        if (type == CommandType.FLUSH_USER_CMDS) {
            // The FLUSH itself is carried out here: nothing is sent to the boxes.
            return db.preparedQuery("WITH flushed AS (UPDATE command_deliveries d SET state = 'cancelled',"
                            + "   result = 'flushed by command ' || $1::bigint, updated_at = now()"
                            + "   WHERE d.state = 'queued' AND d.command_id <> $1"
                            + "   AND d.box_id IN (SELECT box_id FROM command_deliveries WHERE command_id = $1)"
                            + "   RETURNING d.command_id, d.box_id),"
                            + " done AS (UPDATE command_deliveries d SET state = 'succeeded', updated_at = now(),"
                            + "   result = 'flushed ' || (SELECT count(*) FROM flushed f WHERE f.box_id = d.box_id)"
                            + "     || ' queued command(s)'"
                            + "   WHERE d.command_id = $1)"
                            + " SELECT command_id FROM flushed UNION SELECT $1::bigint")
                    .execute(Tuple.of(id))
                    .flatMap(rows -> CommandStates.recompute(db, CommandStates.commandIds(rows)));
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * CHANGE_L3_SPN_IP_ADDRESS for one box: the address must be an assignable host of the box's pool,
     * with the pool's mask, and free or already the box's.
     */
    private Uni<Void> checkNewAddress(SqlClient db, Targets.BoxRef box, String contents) {
        CommandArguments.AddressAndMask wanted = CommandArguments.addressAndMask(contents);
        return pools.findForGroup(db, box.group()).flatMap(pool -> {
            if (pool == null || !pool.isAssignable(wanted.address())) {
                throw ApiException.badField(CommandArguments.FIELD, "the new SPN IP must be an assignable address of"
                        + " the box's pool" + (pool == null ? "" : " " + pool.network()));
            }
            if (pool.network().prefixLength() != wanted.prefixLength()) {
                throw ApiException.badField(CommandArguments.FIELD, "the subnet mask must be the pool's, " + pool.mask());
            }
            return db.preparedQuery("SELECT 1 FROM address_leases WHERE address = $1::text::inet"
                            + " AND box_id IS DISTINCT FROM $2 AND NOT (state = 'cooling' AND cool_down_until <= now())")
                    .execute(Tuple.of(wanted.addressText(), box.id()))
                    .onItem().transform(rows -> {
                        if (rows.size() > 0) {
                            throw new ApiException(Response.Status.CONFLICT, "address_taken",
                                    "the address " + wanted.addressText() + " is held by another box or reserved", null);
                        }
                        return null;
                    });
        });
    }

    /**
     * ADD/REMOVE_P2P_SPN_TUNNEL on both ends. The operator's rule is the target's: its {@code ekey} must
     * be the peer's key. The peer gets the mirror: same group, lport and server, {@code vip} = the
     * target's SPN IP and {@code ekey} = the target's key.
     */
    private Uni<Written> writePair(SqlClient db, Checked checked, Targets.BoxRef box, Targets.BoxRef peer,
                                   Caller caller) {
        if (box.id() == peer.id()) {
            throw ApiException.badField("peer", "the peer must be another box than the target");
        }
        CommandArguments.P2pRule rule = CommandArguments.p2pRule(checked.contents());
        if (!rule.key().equals(peer.publicKey())) {
            throw ApiException.badField("peer", "the rule's ekey must be the peer box's public key");
        }
        if (box.spnIp() == null) {
            throw ApiException.badField("peer", "the target box holds no SPN IP, so the peer's rule has no vip");
        }
        String mirrored = new CommandArguments.P2pRule(rule.group(), box.spnIp(), rule.localPort(), box.publicKey(),
                rule.server()).format();
        return insertForBox(db, newCommand(checked, "box", Integer.toString(box.id()), checked.contents(), null, caller),
                box.id()).flatMap(first -> insertForBox(db, newCommand(checked, "box", Integer.toString(peer.id()),
                        mirrored, first, caller), peer.id())
                .flatMap(second -> db.preparedQuery("UPDATE commands SET operation_id = $1 WHERE id = $1")
                        .execute(Tuple.of(first)).replaceWith(new Written(first, 2, second))));
    }

    private static Map<String, Object> auditDetail(Checked checked, Written written) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", checked.type().name());
        detail.put("target", checked.target().kind() + (checked.target().value() == null ? "" : ":" + checked.target().value()));
        detail.put("priority", checked.priority() == 1 ? "high" : "normal");
        detail.put("boxes", written.boxes());
        if (!checked.type().secret()) {
            detail.put("arguments", checked.contents());
        }
        if (written.peerCommandId() != null) {
            detail.put("operationId", written.id());
            detail.put("peerCommandId", written.peerCommandId());
        }
        return detail;
    }

    /** {@code POST /api/v1/commands/{id}/cancel}: its queued deliveries (and a P2P partner's) are cancelled. */
    public Uni<CommandView> cancel(long id, Caller caller) {
        return TransientFailures.retry(() -> Transactions.run(pool, db -> db.preparedQuery(
                                "SELECT id AS command_id FROM commands WHERE id = $1 OR (operation_id IS NOT NULL"
                                        + " AND operation_id = (SELECT operation_id FROM commands WHERE id = $1))")
                        .execute(Tuple.of(id))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                throw ApiException.notFound("command " + id);
                            }
                            Long[] ids = CommandStates.commandIds(rows).toArray(new Long[0]);
                            return db.preparedQuery("UPDATE command_deliveries SET state = 'cancelled',"
                                            + " result = 'cancelled by ' || $2, updated_at = now()"
                                            + " WHERE command_id = ANY($1) AND state = 'queued'")
                                    .execute(Tuple.of(ids, caller.actor()))
                                    .flatMap(v -> db.preparedQuery("UPDATE commands SET cancelled_at = now(),"
                                                    + " state = CASE WHEN state = 'queued' AND NOT EXISTS (SELECT 1"
                                                    + "   FROM command_deliveries d WHERE d.command_id = commands.id)"
                                                    + "   THEN 'cancelled' ELSE state END"
                                                    + " WHERE id = ANY($1) AND cancelled_at IS NULL")
                                            .execute(Tuple.of((Object) ids)))
                                    .flatMap(v -> CommandStates.recompute(db, List.of(ids)));
                        })), MAX_TRANSACTION_ATTEMPTS)
                .flatMap(v -> audit.record(caller.actor(), "command.cancelled", "command:" + id, null, caller.source()))
                .flatMap(v -> queries.find(id));
    }
}
