package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.database.Transactions;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A command's state follows its deliveries: {@code queued} while none has moved, {@code in_progress}
 * while some are still queued or delivered, then final: the one state all deliveries share, else
 * {@code partial} when some succeeded, else {@code failed}. Every change of deliveries ends with
 * {@link #recompute}, in the same transaction — except a result for a group or all-boxes command,
 * settled right after its commit ({@link #settleAfterCommit}).
 */
final class CommandStates {

    private static final Logger LOG = Logger.getLogger(CommandStates.class);

    /** Delivery states after which nothing changes. */
    static final String FINAL = "('succeeded', 'failed', 'expired', 'cancelled', 'superseded', 'rolled_back')";

    private CommandStates() {
    }

    /**
     * Recomputes the states of these commands. The command rows are locked first (in id order) and
     * the deliveries read by a later statement, so two transactions finishing the last two
     * deliveries of one command cannot both miss the other's change.
     */
    static Uni<Void> recompute(SqlClient db, Iterable<Long> commandIds) {
        Set<Long> ids = new LinkedHashSet<>();
        commandIds.forEach(ids::add);
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] array = ids.toArray(new Long[0]);
        return db.preparedQuery("SELECT id FROM commands WHERE id = ANY($1) ORDER BY id FOR UPDATE")
                .execute(Tuple.of((Object) array))
                .flatMap(locked -> recomputeLocked(db, array));
    }

    /** SQL locking command {@code $n} as {@link #recompute} does, for a statement that ends one of its deliveries. */
    static String lockCommand(int n) {
        return "SELECT id FROM commands WHERE id = $" + n + " FOR UPDATE";
    }

    /**
     * {@link #recompute} of commands whose rows this transaction has locked already, in an earlier
     * statement ({@link #lockCommand}).
     */
    static Uni<Void> recomputeLocked(SqlClient db, Long[] array) {
        return db.preparedQuery("UPDATE commands c SET state = s.state, updated_at = now() FROM ("
                                + " SELECT command_id, CASE"
                                + "   WHEN count(*) FILTER (WHERE state IN ('queued', 'delivered')) > 0 THEN"
                                + "     CASE WHEN count(*) FILTER (WHERE state <> 'queued') > 0 THEN 'in_progress' ELSE 'queued' END"
                                + "   WHEN min(state) = max(state) THEN min(state)"
                                + "   WHEN count(*) FILTER (WHERE state = 'succeeded') > 0 THEN 'partial'"
                                + "   ELSE 'failed' END AS state"
                                + " FROM command_deliveries WHERE command_id = ANY($1) GROUP BY command_id) s"
                                + " WHERE c.id = s.command_id AND c.state <> s.state")
                .execute(Tuple.of((Object) array))
                .replaceWithVoid();
    }

    /**
     * After a result's transaction has committed: when the command has no open delivery left, its
     * final state. Run after each commit, the last result's run sees every other result, so no
     * lock is needed to not miss one; until then it is one probe of a partial index. Best effort:
     * should it fail, the queue's sweep settles the command ({@link #settleStragglers}).
     */
    static Uni<Void> settleAfterCommit(Pool pool, long commandId) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM command_deliveries WHERE command_id = $1"
                        + " AND state IN ('queued', 'delivered'))")
                .execute(Tuple.of(commandId))
                .flatMap(rows -> rows.iterator().next().getBoolean(0) ? Uni.createFrom().voidItem()
                        : Transactions.run(pool, db -> recompute(db, List.of(commandId))))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("command %d not settled now (%s): the sweep will", commandId,
                            failure.getClass().getSimpleName());
                    return null;
                });
    }

    /**
     * SQL: the ids of {@link #settleStragglers}' commands, up to 1,000, oldest first. {@code OFFSET 0}
     * keeps each EXISTS a probe per open command: as joins, on a busy queue whose statistics lagged,
     * the planner read every delivery row to de-duplicate their command ids (78,155 blocks a sweep).
     */
    static final String STRAGGLERS = "SELECT c.id FROM commands c WHERE c.target_kind <> 'box'"
            + " AND c.state IN ('queued', 'in_progress')"
            + " AND EXISTS (SELECT 1 FROM command_deliveries d WHERE d.command_id = c.id OFFSET 0)"
            + " AND NOT EXISTS (SELECT 1 FROM command_deliveries d WHERE d.command_id = c.id"
            + "   AND d.state IN ('queued', 'delivered') OFFSET 0) ORDER BY c.id LIMIT 1000";

    /**
     * Group and all-boxes commands still open although none of their deliveries is: settled now; how
     * many. Only these settle after a commit; a box command's state changes in the transaction that
     * ends its delivery. Read through {@code commands_open_fan_out_idx} (V7), not every open command.
     */
    static Uni<Integer> settleStragglers(SqlClient db) {
        return db.preparedQuery(STRAGGLERS)
                .execute()
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong("id")));
                    return recompute(db, ids).replaceWith(ids.size());
                });
    }

    /** The {@code command_id} column of each row. */
    static List<Long> commandIds(Iterable<Row> rows) {
        return longs(rows, "command_id");
    }

    /** The {@code column} (a bigint) of each row. */
    static List<Long> longs(Iterable<Row> rows, String column) {
        List<Long> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.getLong(column)));
        return values;
    }

    /** The note on an address reserved for a box while its CHANGE_L3_SPN_IP_ADDRESS is pending. */
    static String reservationNote(long commandId) {
        return "pending change " + commandId;
    }

    /** Gives back the address promised to a box by a 104 command that did not go through. */
    static Uni<Void> releaseReservation(SqlClient db, int boxId, long commandId) {
        return db.preparedQuery("DELETE FROM address_leases WHERE state = 'reserved' AND box_id = $1 AND note = $2")
                .execute(Tuple.of(boxId, reservationNote(commandId)))
                .replaceWithVoid();
    }

    /** The same for every 104 delivery among these rows (columns {@code box_id}, {@code command_id}, {@code type}). */
    static Uni<Void> releaseReservations(SqlClient db, Iterable<Row> rows) {
        List<Tuple> batch = new ArrayList<>();
        rows.forEach(row -> {
            if (row.getShort("type") == CommandType.CHANGE_L3_SPN_IP_ADDRESS.code()) {
                batch.add(Tuple.of(row.getInteger("box_id"), reservationNote(row.getLong("command_id"))));
            }
        });
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("DELETE FROM address_leases WHERE state = 'reserved' AND box_id = $1 AND note = $2")
                .executeBatch(batch)
                .replaceWithVoid();
    }
}
