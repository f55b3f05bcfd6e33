package io.starconsole.functions.accounts;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;

/** An operator account as the API shows it: never its password hash. */
public record Account(int id, String username, String role, boolean disabled, OffsetDateTime lockedUntil,
                      OffsetDateTime createdAt) {

    static final String COLUMNS = "id, username, role, disabled, locked_until, created_at";

    static Account from(Row row) {
        return new Account(row.getInteger("id"), row.getString("username"), row.getString("role"),
                row.getBoolean("disabled"), row.getOffsetDateTime("locked_until"),
                row.getOffsetDateTime("created_at"));
    }

    boolean isEnabledAdmin() {
        return !disabled && "admin".equals(role);
    }
}
