package io.starconsole.functions.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;

/** Operator accounts in the {@code admins} table. */
@ApplicationScoped
public class AdminRepository {

    private final Pool pool;

    public AdminRepository(Pool pool) {
        this.pool = pool;
    }

    /** The account, or null when there is none of that name. */
    public Uni<Admin> findByUsername(String username) {
        return pool.preparedQuery("SELECT " + Admin.COLUMNS + " FROM admins WHERE username = $1")
                .execute(Tuple.of(username))
                .onItem().transform(rows -> rows.size() == 0 ? null : Admin.from(rows.iterator().next()));
    }

    public Uni<Long> count() {
        return pool.query("SELECT count(*) FROM admins").execute()
                .onItem().transform(rows -> rows.iterator().next().getLong(0));
    }

    /** Creates the account unless one of that name exists; true when it was created. */
    public Uni<Boolean> insertIfAbsent(String username, String passwordHash, Role role) {
        return pool.preparedQuery("INSERT INTO admins (username, password_hash, role) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (username) DO NOTHING")
                .execute(Tuple.of(username, passwordHash, role.wireName()))
                .onItem().transform(rows -> rows.rowCount() == 1);
    }

    /**
     * Counts a failed login. From the {@code lockAfter}-th failure on, the account is locked for a
     * time that doubles with each further failure, from one minute up to {@code maxLock}.
     */
    public Uni<Void> recordFailedLogin(int id, int lockAfter, Duration maxLock) {
        return pool.preparedQuery("UPDATE admins SET failed_logins = failed_logins + 1,"
                        + " locked_until = CASE WHEN failed_logins + 1 >= $2"
                        + "   THEN now() + least(interval '1 minute' * power(2, failed_logins + 1 - $2),"
                        + "                      make_interval(secs => $3))"
                        + "   ELSE locked_until END"
                        + " WHERE id = $1")
                .execute(Tuple.of(id, lockAfter, (double) maxLock.toSeconds()))
                .replaceWithVoid();
    }

    public Uni<Void> recordSuccessfulLogin(int id) {
        return pool.preparedQuery("UPDATE admins SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Failed logins from one source address within a recent window, and the latest of them. */
    public record SourceFailures(long count, OffsetDateTime latest) {
    }

    /**
     * Counts the failed logins from {@code source} in the last {@code window}, from the audit log
     * (every failed login is recorded there with its source address).
     */
    public Uni<SourceFailures> recentFailuresFrom(String source, Duration window) {
        return pool.preparedQuery("SELECT count(*) AS failures, max(at) AS latest FROM audit_log"
                        + " WHERE action = 'login.failed' AND source = $1 AND at > now() - make_interval(secs => $2)")
                .execute(Tuple.of(source, (double) window.toSeconds()))
                .onItem().transform(rows -> {
                    var row = rows.iterator().next();
                    return new SourceFailures(row.getLong("failures"), row.getOffsetDateTime("latest"));
                });
    }
}
