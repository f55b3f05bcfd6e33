package io.starconsole.functions.auth;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;

/** An operator account as stored; the password only as its Argon2id hash. */
public record Admin(int id, String username, String passwordHash, Role role, int failedLogins,
                    OffsetDateTime lockedUntil, boolean disabled) {

    static final String COLUMNS = "id, username, password_hash, role, failed_logins, locked_until, disabled";

    static Admin from(Row row) {
        return new Admin(row.getInteger("id"), row.getString("username"), row.getString("password_hash"),
                Role.fromWireName(row.getString("role")), row.getInteger("failed_logins"),
                row.getOffsetDateTime("locked_until"), row.getBoolean("disabled"));
    }

    boolean isLockedAt(OffsetDateTime now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
