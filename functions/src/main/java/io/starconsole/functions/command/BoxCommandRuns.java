package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A run of plain single-box commands (one box, no peer, nothing to check or carry out at enqueue
 * beyond superseding) written with one statement per step for the whole run: find the boxes and
 * insert the commands with their deliveries, supersede, recompute what was superseded. The result is the
 * one of writing them one after another: ids and delivery ids in the run's order, the first error
 * in that order, and each superseding as the sequential writes leave it.
 */
final class BoxCommandRuns {

    private BoxCommandRuns() {
    }

    /** Whether this command is written as part of a run; the others take the per-command path. */
    static boolean plain(CommandService.Checked checked) {
        return "box".equals(checked.target().kind()) && checked.peer() == null
                && checked.type() != CommandType.UPDATE_FIRMWARE
                && checked.type() != CommandType.CHANGE_L3_SPN_IP_ADDRESS
                && checked.type() != CommandType.FLUSH_USER_CMDS;
    }

    /**
     * A batch cut, in order, into runs of plain single-box commands (written together) and single
     * other commands (written one by one); each as {@code [from, to)}.
     */
    static List<int[]> segments(List<CommandService.Checked> checked) {
        List<int[]> segments = new ArrayList<>();
        int i = 0;
        while (i < checked.size()) {
            int end = i + 1;
            if (plain(checked.get(i))) {
                while (end < checked.size() && plain(checked.get(end))) {
                    end++;
                }
            }
            segments.add(new int[] {i, end});
            i = end;
        }
        return segments;
    }

    /**
     * Whether a batch's views are its inserted rows ({@code rows}, one per entry), each with its one
     * queued delivery: every entry was written in a run, and none superseded another of the batch
     * (what they supersede from before the batch is not in the answer). Otherwise it is read back.
     */
    static boolean answeredAsInserted(List<CommandService.Checked> batch, List<Row> rows) {
        if (rows.size() != batch.size()) {
            return false;
        }
        Set<String> boxAndType = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            CommandType type = batch.get(i).type();
            if (type.supersedes() && !boxAndType.add(rows.get(i).getString("target_value") + "/" + type.code())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the run; the inserted commands' rows ({@link CommandView#COLUMNS}, state as inserted), in
     * the run's order. {@code refusal} names an entry's error by its position in the run.
     */
    static Uni<List<Row>> write(SqlClient db, List<CommandService.Checked> run, Caller caller,
                                BiFunction<Integer, ApiException, ApiException> refusal) {
        Names names = Names.of(run);
        // The insert finds the boxes itself and writes nothing unless it finds them all; only then
        // does a lookup of its own find which entry is at fault.
        Uni<List<Row>> inserted = names.anyMalformed() ? Uni.createFrom().item(List.of()) : insert(db, run, names, caller);
        return inserted.flatMap(rows -> rows.isEmpty()
                        ? requireBoxes(db, run, names, refusal).flatMap(v -> insert(db, run, names, caller))
                        : Uni.createFrom().item(rows))
                .flatMap(rows -> {
                    if (rows.size() != run.size()) {
                        throw new IllegalStateException("inserted " + rows.size() + " of " + run.size() + " commands");
                    }
                    return supersede(db, run, rows).replaceWith(rows);
                });
    }

    /** How each entry names its box, as arrays for the statements; a malformed name is kept as the entry's refusal. */
    private record Names(Integer[] ids, String[] addresses, String[] keys, ApiException[] malformed) {

        static Names of(List<CommandService.Checked> run) {
            int n = run.size();
            Names names = new Names(new Integer[n], new String[n], new String[n], new ApiException[n]);
            for (int i = 0; i < n; i++) {
                try {
                    Targets.BoxName name = Targets.BoxName.of(run.get(i).target().value(), "target");
                    names.ids[i] = name.id();
                    names.addresses[i] = name.address();
                    names.keys[i] = name.publicKey();
                } catch (ApiException refused) {
                    names.malformed[i] = refused; // refused in the run's order, after an earlier entry's box not found
                }
            }
            return names;
        }

        boolean anyMalformed() {
            return Arrays.stream(malformed).anyMatch(Objects::nonNull);
        }
    }

    /**
     * SQL: the box ({@code b.id}, null when none) named by {@code q.box_id}, {@code q.address} or
     * {@code q.publickey}, as {@link Targets#box} finds it.
     */
    private static final String BOX_NAMED = " LEFT JOIN LATERAL ("
            + "   SELECT c.id FROM spnclients c WHERE c.id = q.box_id"
            + "   UNION ALL SELECT c.id FROM address_leases l JOIN spnclients c ON c.id = l.box_id"
            + "     WHERE l.address = q.address::inet AND l.state = 'bound'"
            + "   UNION ALL SELECT c.id FROM spnclients c WHERE c.publickey = q.publickey"
            + "   LIMIT 1) b ON true";

    /** Fails with the first entry, in the run's order, whose box is malformed or not found. */
    private static Uni<Void> requireBoxes(SqlClient db, List<CommandService.Checked> run, Names names,
                                          BiFunction<Integer, ApiException, ApiException> refusal) {
        int n = run.size();
        return db.preparedQuery("SELECT q.ord, b.id FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY"
                        + " AS q(box_id, address, publickey, ord)" + BOX_NAMED)
                .execute(Tuple.of(names.ids(), names.addresses(), names.keys()))
                .onItem().transform(rows -> {
                    Integer[] found = new Integer[n];
                    rows.forEach(row -> found[(int) (row.getLong("ord") - 1)] = row.getInteger("id"));
                    for (int i = 0; i < n; i++) {
                        if (names.malformed()[i] != null) {
                            throw refusal.apply(i, names.malformed()[i]);
                        }
                        if (found[i] == null) {
                            throw refusal.apply(i, ApiException.notFound("box " + run.get(i).target().value()));
                        }
                    }
                    return null;
                });
    }

    /**
     * The commands and one queued delivery each, ids in the run's order; their rows in that order, or
     * none at all when a box is not found.
     */
    private static Uni<List<Row>> insert(SqlClient db, List<CommandService.Checked> run, Names names, Caller caller) {
        int n = run.size();
        Short[] types = new Short[n];
        Short[] priorities = new Short[n];
        String[] contents = new String[n];
        OffsetDateTime[] notBefore = new OffsetDateTime[n];
        OffsetDateTime[] expiresAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            CommandService.Checked c = run.get(i);
            types[i] = (short) c.type().code();
            priorities[i] = (short) c.priority();
            contents[i] = c.contents();
            notBefore[i] = c.notBefore();
            expiresAt[i] = c.expiresAt();
        }
        // Rows are numbered from the sequence in the order the sorted SELECT yields them.
        return db.preparedQuery("WITH named AS (SELECT q.*, b.id AS found FROM unnest($1::int[], $2::text[], $3::text[],"
                        + "   $4::smallint[], $5::smallint[], $6::text[], $7::timestamptz[], $8::timestamptz[])"
                        + "   WITH ORDINALITY AS q(box_id, address, publickey, type, priority, contents, not_before,"
                        + "   expires_at, ord)" + BOX_NAMED + "),"
                        + " c AS (INSERT INTO commands (type, priority, target_kind, target_value, contents,"
                        + "   include_late_joiners, not_before, expires_at, created_by, created_from)"
                        + "   SELECT u.type, u.priority, 'box', u.found::text, u.contents, false, u.not_before,"
                        + "     u.expires_at, $9, $10 FROM named u"
                        + "   WHERE NOT EXISTS (SELECT 1 FROM named m WHERE m.found IS NULL)"
                        + "   ORDER BY u.ord RETURNING *),"
                        + " d AS (INSERT INTO command_deliveries (command_id, box_id)"
                        + "   SELECT c.id, c.target_value::int FROM c ORDER BY c.id)"
                        + " SELECT " + CommandView.COLUMNS + " FROM c ORDER BY c.id")
                .execute(Tuple.from(new Object[] {names.ids(), names.addresses(), names.keys(), types, priorities,
                        contents, notBefore, expiresAt, caller.actor(), caller.source()}))
                .onItem().transform(rows -> {
                    List<Row> inserted = new ArrayList<>(n);
                    rows.forEach(inserted::add);
                    return inserted;
                });
    }

    /**
     * Superseding as the run's commands, written one after another, leave it: the queued deliveries
     * of a box's earlier commands of a type are superseded by the run's first command of that type
     * to that box, and each of the run's commands by its next one of the same type and box.
     */
    private static Uni<Void> supersede(SqlClient db, List<CommandService.Checked> run, List<Row> rows) {
        Map<String, Long> latest = new LinkedHashMap<>();
        List<Integer> firstBoxes = new ArrayList<>();
        List<Short> firstTypes = new ArrayList<>();
        List<Long> firstIds = new ArrayList<>();
        List<Long> supersededIds = new ArrayList<>();
        List<Long> supersedingIds = new ArrayList<>();
        Long[] runIds = new Long[run.size()];
        for (int i = 0; i < run.size(); i++) {
            long id = rows.get(i).getLong("id");
            int boxId = Integer.parseInt(rows.get(i).getString("target_value"));
            runIds[i] = id;
            CommandType type = run.get(i).type();
            if (!type.supersedes()) {
                continue;
            }
            Long before = latest.put(boxId + "/" + type.code(), id);
            if (before == null) {
                firstBoxes.add(boxId);
                firstTypes.add((short) type.code());
                firstIds.add(id);
            } else {
                supersededIds.add(before);
                supersedingIds.add(id);
            }
        }
        if (firstIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("WITH earlier AS (UPDATE command_deliveries d SET state = 'superseded',"
                        + "   result = 'superseded by command ' || f.by, updated_at = now()"
                        + "   FROM unnest($1::int[], $2::smallint[], $3::bigint[]) AS f(box_id, type, by), commands c"
                        + "   WHERE d.box_id = f.box_id AND d.state = 'queued' AND c.id = d.command_id AND c.type = f.type"
                        + "   AND d.command_id <> ALL($4::bigint[]) RETURNING d.command_id),"
                        + " within AS (UPDATE command_deliveries d SET state = 'superseded',"
                        + "   result = 'superseded by command ' || s.by, updated_at = now()"
                        + "   FROM unnest($5::bigint[], $6::bigint[]) AS s(id, by)"
                        + "   WHERE d.command_id = s.id AND d.state = 'queued' RETURNING d.command_id)"
                        + " SELECT command_id FROM earlier UNION ALL SELECT command_id FROM within")
                .execute(Tuple.from(new Object[] {firstBoxes.toArray(new Integer[0]), firstTypes.toArray(new Short[0]),
                        firstIds.toArray(new Long[0]), runIds, supersededIds.toArray(new Long[0]),
                        supersedingIds.toArray(new Long[0])}))
                .flatMap((RowSet<Row> superseded) -> CommandStates.recompute(db, CommandStates.commandIds(superseded)));
    }
}
