package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A command's state follows its deliveries: {@code queued} while none has moved, {@code in_progress}
 * while some are still queued or delivered, then final: the one state all deliveries share, else
 * {@code partial} when some succeeded, else {@code failed}. Every change of deliveries ends with
 * {@link #recompute}, in the same transaction.
 */
final class CommandStates {

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
                .flatMap(locked -> db.preparedQuery("UPDATE commands c SET state = s.state, updated_at = now() FROM ("
                                + " SELECT command_id, CASE"
                                + "   WHEN count(*) FILTER (WHERE state IN ('queued', 'delivered')) > 0 THEN"
                                + "     CASE WHEN count(*) FILTER (WHERE state <> 'queued') > 0 THEN 'in_progress' ELSE 'queued' END"
                                + "   WHEN min(state) = max(state) THEN min(state)"
                                + "   WHEN count(*) FILTER (WHERE state = 'succeeded') > 0 THEN 'partial'"
                                + "   ELSE 'failed' END AS state"
                                + " FROM command_deliveries WHERE command_id = ANY($1) GROUP BY command_id) s"
                                + " WHERE c.id = s.command_id AND c.state <> s.state")
                        .execute(Tuple.of((Object) array)))
                .replaceWithVoid();
    }

    /** The {@code command_id} column of each row. */
    static List<Long> commandIds(RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getLong("command_id")));
        return ids;
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
    static Uni<Void> releaseReservations(SqlClient db, RowSet<Row> rows) {
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
