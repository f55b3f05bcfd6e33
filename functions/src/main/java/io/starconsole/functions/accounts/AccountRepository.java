package io.starconsole.functions.accounts;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The {@code admins} table for account management, and the revocation of an account's tokens. */
@ApplicationScoped
public class AccountRepository {

    private final Pool pool;

    public AccountRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Account>> list() {
        return pool.query("SELECT " + Account.COLUMNS + " FROM admins ORDER BY username").execute()
                .onItem().transform(rows -> {
                    List<Account> items = new ArrayList<>();
                    rows.forEach(row -> items.add(Account.from(row)));
                    return items;
                });
    }

    public Uni<Account> find(int id) {
        return find(pool, id);
    }

    public Uni<Account> findByUsername(String username) {
        return pool.preparedQuery("SELECT " + Account.COLUMNS + " FROM admins WHERE username = $1")
                .execute(Tuple.of(username))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("account");
                    }
                    return Account.from(rows.iterator().next());
                });
    }

    /** The stored Argon2id hash of an account, to check its current password. */
    public Uni<String> passwordHash(int id) {
        return pool.preparedQuery("SELECT password_hash FROM admins WHERE id = $1").execute(Tuple.of(id))
                .onItem().transform(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** The new account; 409 when the name is taken. */
    public Uni<Account> insert(String username, String passwordHash, String role) {
        return pool.preparedQuery("INSERT INTO admins (username, password_hash, role) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (username) DO NOTHING RETURNING " + Account.COLUMNS)
                .execute(Tuple.of(username, passwordHash, role))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.conflict("username_taken", "an account named " + username + " exists");
                    }
                    return Account.from(rows.iterator().next());
                });
    }

    /**
     * Runs {@code change} on the account inside a transaction that holds the row locks of every
     * enabled admin (and the account's own), so that two requests can never together remove the last
     * enabled admin.
     */
    public <T> Uni<T> withAdminsLocked(int id, Function<Locked, Uni<T>> change) {
        return Transactions.run(pool, tx -> tx.preparedQuery("SELECT id FROM admins"
                                + " WHERE (role = 'admin' AND NOT disabled) OR id = $1 ORDER BY id FOR UPDATE")
                .execute(Tuple.of(id))
                .flatMap(locked -> find(tx, id).flatMap(account -> {
                    long enabledAdmins = locked.size() - (account.isEnabledAdmin() ? 0 : 1);
                    return change.apply(new Locked(tx, account, enabledAdmins));
                })));
    }

    /** An account and the number of enabled admins, read under the locks of {@link #withAdminsLocked}. */
    public record Locked(SqlClient tx, Account account, long enabledAdmins) {

        public Uni<Void> update(String role, Boolean disabled, String passwordHash) {
            return tx.preparedQuery("UPDATE admins SET role = coalesce($2, role), disabled = coalesce($3, disabled),"
                            + " password_hash = coalesce($4, password_hash),"
                            + " failed_logins = CASE WHEN $4 IS NULL THEN failed_logins ELSE 0 END,"
                            + " locked_until = CASE WHEN $4 IS NULL THEN locked_until END"
                            + " WHERE id = $1")
                    .execute(Tuple.of(account.id(), role, disabled, passwordHash))
                    .replaceWithVoid();
        }

        public Uni<Void> delete() {
            return tx.preparedQuery("DELETE FROM admins WHERE id = $1").execute(Tuple.of(account.id()))
                    .replaceWithVoid();
        }

        public Uni<Void> revokeTokens() {
            return tx.preparedQuery("DELETE FROM admin_tokens WHERE admin_id = $1").execute(Tuple.of(account.id()))
                    .replaceWithVoid();
        }
    }

    /** Sets an account's own new password and revokes its tokens except {@code keptTokenHash}. */
    public Uni<Void> changeOwnPassword(int id, String passwordHash, byte[] keptTokenHash) {
        return Transactions.run(pool, tx -> tx.preparedQuery("UPDATE admins SET password_hash = $2 WHERE id = $1")
                .execute(Tuple.of(id, passwordHash))
                .flatMap(v -> tx.preparedQuery("DELETE FROM admin_tokens WHERE admin_id = $1 AND token_hash <> $2")
                        .execute(Tuple.of(id, Buffer.buffer(keptTokenHash))))
                .replaceWithVoid());
    }

    private static Uni<Account> find(SqlClient client, int id) {
        return client.preparedQuery("SELECT " + Account.COLUMNS + " FROM admins WHERE id = $1")
                .execute(Tuple.of(id))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("account");
                    }
                    return Account.from(rows.iterator().next());
                });
    }
}
