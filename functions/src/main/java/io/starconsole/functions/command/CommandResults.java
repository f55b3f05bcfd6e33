package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.box.BoxEvents;
import io.starconsole.functions.box.BoxFields;
import io.starconsole.functions.box.EdgeInput;
import io.starconsole.functions.box.TransientFailures;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/**
 * The box's answer to a delivery (relayed by an edge). Idempotent: a result for a delivery that has
 * already ended changes nothing. A REGENERATE_L3_SPN_KEY success moves the box to its new key in the
 * same transaction, so its re-registration under that key finds the same box.
 */
@ApplicationScoped
public class CommandResults {

    public static final int MAX_MESSAGE_LENGTH = 500;
    private static final int MAX_TRANSACTION_ATTEMPTS = 3;
    private static final Set<String> STATES = Set.of("succeeded", "failed", "rolled_back");
    private static final String NEW_KEY = "new-key ";
    private static final int KEY_PREFIX = 8;
    /** How the agent marks a roll-back in a failure's message. */
    static final String ROLLED_BACK_PREFIX = "rolled back:";

    private final Pool pool;
    private final PairedOperations pairs;
    private final FirmwareUpdates firmware;

    public CommandResults(Pool pool, PairedOperations pairs, FirmwareUpdates firmware) {
        this.pool = pool;
        this.pairs = pairs;
        this.firmware = firmware;
    }

    /** {@code POST /internal/v1/commands/result}. */
    public record ResultRequest(String publicKey, Long commandId, String state, String message) {
    }

    public Uni<Void> report(ResultRequest request) {
        ResultRequest normalised = checked(request);
        return TransientFailures.retry(() -> Transactions.run(pool, db -> deliveryOf(db, normalised)
                        .flatMap(row -> {
                            int boxId = row.getInteger("box_id");
                            String current = row.getString("state");
                            CommandType type = CommandType.ofCode(row.getShort("type"));
                            boolean settleAfter = settlesAfterCommit(type, row.getString("target_kind"));
                            if (type == CommandType.REGENERATE_L3_SPN_KEY && "succeeded".equals(current)
                                    && "rolled_back".equals(normalised.state())
                                    && normalised.publicKey().equals(row.getString("previous_key"))) {
                                return keyRolledBack(db, row.getLong("id"), boxId, normalised).replaceWith(false);
                            }
                            if (!"queued".equals(current) && !"delivered".equals(current)) {
                                return Uni.createFrom().item(settleAfter); // already ended: a repeated result
                            }
                            return apply(db, boxId, normalised, type)
                                    .flatMap(outcome -> finish(db, row.getLong("id"), boxId, normalised.commandId(), type,
                                            outcome, settleAfter, "box".equals(row.getString("target_kind"))))
                                    .replaceWith(settleAfter);
                        }))
                .flatMap(settleAfter -> settleAfter ? CommandStates.settleAfterCommit(pool, normalised.commandId())
                        : Uni.createFrom().voidItem()), MAX_TRANSACTION_ATTEMPTS);
    }

    /** The request checked (a clear error for what is wrong) and normalised. */
    static ResultRequest checked(ResultRequest request) {
        if (request == null) {
            throw ApiException.badField("publicKey", "a JSON body is required");
        }
        EdgeInput.requireKey(request.publicKey());
        if (request.commandId() == null) {
            throw ApiException.badField("commandId", "commandId is required");
        }
        if (request.state() == null || !STATES.contains(request.state())) {
            throw ApiException.badField("state", "state must be succeeded, failed or rolled_back");
        }
        if (request.message() != null && request.message().length() > MAX_MESSAGE_LENGTH) {
            throw ApiException.badField("message", "message is longer than " + MAX_MESSAGE_LENGTH + " characters");
        }
        return normalise(request);
    }

    /**
     * Whether the command's state is settled after the result's transaction rather than inside it:
     * for a group or all-boxes command, whose results arrive by the thousand at once, locking the one
     * command row in every result's transaction would make them commit one after another. P2P and
     * firmware commands act on their state in the same transaction, and a box command has one delivery.
     */
    static boolean settlesAfterCommit(CommandType type, String targetKind) {
        return !"box".equals(targetKind) && !type.p2p() && type != CommandType.UPDATE_FIRMWARE;
    }

    /** A failure whose message starts with {@code rolled back:} is a roll-back (the wire has only a status byte). */
    private static ResultRequest normalise(ResultRequest request) {
        boolean rolledBack = "failed".equals(request.state()) && request.message() != null
                && request.message().startsWith(ROLLED_BACK_PREFIX);
        return rolledBack ? new ResultRequest(request.publicKey(), request.commandId(), "rolled_back", request.message())
                : request;
    }

    /**
     * The delivery the result is for, locked, with its box ({@code box_id}): the box by its key, or a
     * box that rolled a key change back and reports under its old key, which the console moved away
     * from on the success: found through the delivery that remembers it. One statement for both.
     */
    private static Uni<Row> deliveryOf(SqlClient db, ResultRequest request) {
        return db.preparedQuery("SELECT b.box_id, x.id, x.state, x.previous_key, x.type, x.target_kind FROM ("
                        + "   SELECT id AS box_id FROM spnclients WHERE publickey = $1"
                        + "   UNION ALL SELECT d.box_id FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
                        + "   WHERE d.command_id = $2 AND c.type = $3 AND d.previous_key = $1 LIMIT 1) b"
                        + " LEFT JOIN LATERAL (SELECT d.id, d.state, d.previous_key, c.type, c.target_kind"
                        + "   FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
                        + "   WHERE d.command_id = $2 AND d.box_id = b.box_id FOR UPDATE OF d) x ON true")
                .execute(Tuple.of(request.publicKey(), request.commandId(), (short) CommandType.REGENERATE_L3_SPN_KEY.code()))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("box");
                    }
                    Row row = rows.iterator().next();
                    if (row.getLong("id") == null) {
                        throw ApiException.notFound("delivery of command " + request.commandId() + " to this box");
                    }
                    return row;
                });
    }

    /** The box went back to its old key after reporting the new one: the registry follows it back. */
    private Uni<Void> keyRolledBack(SqlClient db, long deliveryId, int boxId, ResultRequest request) {
        return db.preparedQuery("UPDATE spnclients SET publickey = $2, updated_at = now() WHERE id = $1"
                        + " AND NOT EXISTS (SELECT 1 FROM spnclients o WHERE o.publickey = $2 AND o.id <> $1)"
                        + " RETURNING realip, realport")
                .execute(Tuple.of(boxId, request.publicKey()))
                .flatMap(updated -> {
                    if (updated.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Row box = updated.iterator().next();
                    return new BoxEvents().add(boxId, "key_changed", box.getString("realip"), box.getInteger("realport"),
                            "key back to " + request.publicKey().substring(0, KEY_PREFIX) + "... (command "
                                    + request.commandId() + " rolled back)").writeTo(db);
                })
                .flatMap(v -> db.preparedQuery("UPDATE command_deliveries SET state = 'rolled_back', result = $2,"
                        + " updated_at = now() WHERE id = $1").execute(Tuple.of(deliveryId, request.message())))
                .flatMap(v -> CommandStates.recompute(db, List.of(request.commandId())));
    }

    /** The final state and message of the delivery. */
    private record Outcome(String state, String message) {
    }

    private Uni<Outcome> apply(SqlClient db, int boxId, ResultRequest request, CommandType type) {
        Outcome reported = new Outcome(request.state(), request.message());
        if (type != CommandType.REGENERATE_L3_SPN_KEY || !"succeeded".equals(request.state())) {
            return Uni.createFrom().item(reported);
        }
        String message = request.message() == null ? "" : request.message().trim();
        String newKey = message.startsWith(NEW_KEY) ? message.substring(NEW_KEY.length()).trim() : null;
        if (newKey == null || BoxFields.publicKeyProblem(newKey) != null) {
            return Uni.createFrom().item(new Outcome("failed",
                    "success reported without 'new-key <44-character base64 key>': " + message));
        }
        return db.preparedQuery("SELECT id FROM spnclients WHERE publickey = $1 AND id <> $2")
                .execute(Tuple.of(newKey, boxId))
                .flatMap(taken -> {
                    if (taken.size() > 0) {
                        return Uni.createFrom().item(new Outcome("failed",
                                "the new key already belongs to another box: " + message));
                    }
                    String detail = "key " + request.publicKey().substring(0, KEY_PREFIX) + "... -> "
                            + newKey.substring(0, KEY_PREFIX) + "... (command " + request.commandId() + ")";
                    return db.preparedQuery("UPDATE command_deliveries SET previous_key = $3"
                                    + " WHERE command_id = $1 AND box_id = $2")
                            .execute(Tuple.of(request.commandId(), boxId, request.publicKey()))
                            .flatMap(v -> db.preparedQuery("UPDATE spnclients SET publickey = $2, updated_at = now()"
                                    + " WHERE id = $1 RETURNING realip, realport")
                            .execute(Tuple.of(boxId, newKey)))
                            .flatMap(updated -> {
                                Row box = updated.iterator().next();
                                return new BoxEvents().add(boxId, "key_changed", box.getString("realip"),
                                        box.getInteger("realport"), detail).writeTo(db);
                            })
                            .replaceWith(reported);
                });
    }

    /** {@code oneDelivery}: a single-box command, whose state is its one delivery's once that has ended. */
    private Uni<Void> finish(SqlClient db, long deliveryId, int boxId, long commandId, CommandType type, Outcome outcome,
                             boolean settleAfter, boolean oneDelivery) {
        Uni<Void> promise = type == CommandType.CHANGE_L3_SPN_IP_ADDRESS && !"succeeded".equals(outcome.state())
                ? CommandStates.releaseReservation(db, boxId, commandId) : Uni.createFrom().voidItem();
        String end = "UPDATE command_deliveries SET state = $2, result = $3, leased_until = NULL,"
                + " updated_at = now() WHERE id = $1";
        Tuple ending = Tuple.of(deliveryId, outcome.state(), outcome.message());
        Uni<Void> ended;
        if (settleAfter) {
            ended = db.preparedQuery(end).execute(ending).replaceWithVoid();
        } else if (oneDelivery) {
            // What CommandStates.recompute finds for one ended delivery: its state, in the same statement.
            ended = db.preparedQuery("WITH ended AS (" + end + ") UPDATE commands SET state = $2, updated_at = now()"
                            + " WHERE id = $4 AND state <> $2")
                    .execute(Tuple.of(deliveryId, outcome.state(), outcome.message(), commandId)).replaceWithVoid();
        } else {
            // The command row is locked in the statement that ends the delivery, then recomputed.
            ended = db.preparedQuery("WITH ended AS (" + end + ") " + CommandStates.lockCommand(4))
                    .execute(Tuple.of(deliveryId, outcome.state(), outcome.message(), commandId))
                    .flatMap(v -> CommandStates.recomputeLocked(db, new Long[] {commandId}));
        }
        return ended.flatMap(v -> promise)
                .flatMap(v -> type.p2p() ? pairs.settle(db, List.of(commandId)) : Uni.createFrom().voidItem())
                .flatMap(v -> type == CommandType.UPDATE_FIRMWARE
                        ? firmware.resultReported(db, deliveryId, outcome.state(), outcome.message())
                        : Uni.createFrom().voidItem());
    }
}
