package io.starconsole.functions.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;

/**
 * One delivery: a command for one box. The box's own list adds the command's {@code type},
 * {@code arguments} (redacted for passwords), {@code priority} and {@code createdAt}; the per-command
 * list leaves them out.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeliveryView(long id, long commandId, int boxId, String publicKey, String spnIp, String idString,
                           String state, int attempts, String result, OffsetDateTime leasedUntil,
                           OffsetDateTime updatedAt,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String type,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String arguments,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String priority,
                           @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime createdAt) {

    static final String FROM = " FROM command_deliveries d JOIN spnclients b ON b.id = d.box_id"
            + " JOIN commands c ON c.id = d.command_id"
            + " LEFT JOIN address_leases l ON l.box_id = b.id AND l.state = 'bound'";

    static final String COLUMNS = "d.id, d.command_id, d.box_id, b.publickey, host(l.address) AS spn_ip, b.spnbox_id,"
            + " d.state, d.attempts, d.result, d.leased_until, d.updated_at, c.type, c.contents, c.priority, c.created_at";

    static DeliveryView from(Row row, boolean withCommand) {
        CommandType type = CommandType.ofCode(row.getShort("type"));
        return new DeliveryView(row.getLong("id"), row.getLong("command_id"), row.getInteger("box_id"),
                row.getString("publickey"), row.getString("spn_ip"), row.getString("spnbox_id"), row.getString("state"),
                row.getInteger("attempts"), row.getString("result"), row.getOffsetDateTime("leased_until"),
                row.getOffsetDateTime("updated_at"), withCommand ? type.name() : null,
                withCommand ? type.shown(row.getString("contents")) : null,
                withCommand ? CommandView.priorityName(row.getShort("priority")) : null,
                withCommand ? row.getOffsetDateTime("created_at") : null);
    }
}
