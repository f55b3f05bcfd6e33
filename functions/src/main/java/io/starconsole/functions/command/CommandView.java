package io.starconsole.functions.command;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.Map;

/** A command as the API shows it, with the count of its deliveries per state. */
public record CommandView(long id, String type, int typeCode, Target target, String arguments, String priority,
                          String state, String createdBy, OffsetDateTime createdAt, OffsetDateTime notBefore,
                          OffsetDateTime expiresAt, boolean includeLateJoiners, Long operationId,
                          Long undoesCommandId, Counts counts) {

    /** {@code kind} box (value: the box id), group (the group name) or all (no value). */
    public record Target(String kind, String value) {
    }

    public record Counts(long total, long queued, long delivered, long succeeded, long failed, long expired,
                         long cancelled, long superseded, long rolledBack) {

        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0);

        static Counts of(Map<String, Long> byState) {
            long total = byState.values().stream().mapToLong(Long::longValue).sum();
            return new Counts(total, byState.getOrDefault("queued", 0L), byState.getOrDefault("delivered", 0L),
                    byState.getOrDefault("succeeded", 0L), byState.getOrDefault("failed", 0L),
                    byState.getOrDefault("expired", 0L), byState.getOrDefault("cancelled", 0L),
                    byState.getOrDefault("superseded", 0L), byState.getOrDefault("rolled_back", 0L));
        }
    }

    /**
     * SQL: the state of command {@code c} as the API shows it, for the list's filter; {@link #shownState}
     * the same from the delivery counts every view reads anyway. A box command's row is not moved to
     * {@code in_progress} when its one delivery is leased (that write cost a row version and two index
     * entries per cycle); it is {@code in_progress} while that delivery has moved and the row still
     * says {@code queued}. Every other state is the row's, set in the transaction that ends a delivery.
     */
    static final String SHOWN_STATE = "CASE WHEN c.state = 'queued' AND c.target_kind = 'box' AND EXISTS (SELECT 1"
            + " FROM command_deliveries moved WHERE moved.command_id = c.id AND moved.state <> 'queued')"
            + " THEN 'in_progress' ELSE c.state END";

    /** SQL: the stored states a command shown in {@code state} can have ({@link #SHOWN_STATE}). */
    static String storedStatesShownAs(String state) {
        return "queued".equals(state) || "in_progress".equals(state) ? "('queued', 'in_progress')" : null;
    }

    static String shownState(String stored, String targetKind, Counts counts) {
        return "queued".equals(stored) && "box".equals(targetKind) && counts.total() > counts.queued()
                ? "in_progress" : stored;
    }

    static final String COLUMNS = "c.id, c.type, c.priority, c.target_kind, c.target_value, c.contents, c.state,"
            + " c.created_by, c.created_at, c.not_before, c.expires_at, c.include_late_joiners, c.operation_id,"
            + " c.undoes_command_id";

    static CommandView from(Row row, Counts counts) {
        CommandType type = CommandType.ofCode(row.getShort("type"));
        return new CommandView(row.getLong("id"), type.name(), type.code(),
                new Target(row.getString("target_kind"), row.getString("target_value")),
                type.shown(row.getString("contents")), priorityName(row.getShort("priority")),
                shownState(row.getString("state"), row.getString("target_kind"), counts),
                row.getString("created_by"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("not_before"),
                row.getOffsetDateTime("expires_at"), row.getBoolean("include_late_joiners"), row.getLong("operation_id"),
                row.getLong("undoes_command_id"), counts);
    }

    static String priorityName(short priority) {
        return priority == 1 ? "high" : "normal";
    }
}
