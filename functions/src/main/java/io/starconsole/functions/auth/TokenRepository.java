package io.starconsole.functions.auth;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;

/**
 * API tokens in {@code admin_tokens}, kept only as SHA-256 hashes: a copy of the table lets no one
 * act as an operator. Stored in the database so that every function instance accepts every token.
 */
@ApplicationScoped
public class TokenRepository {

    private final Pool pool;

    public TokenRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(byte[] tokenHash, int adminId, OffsetDateTime expiresAt, String source) {
        return pool.preparedQuery("INSERT INTO admin_tokens (token_hash, admin_id, expires_at, source)"
                        + " VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(Buffer.buffer(tokenHash), adminId, expiresAt, source))
                .replaceWithVoid();
    }

    /** The owner of an unexpired token of an enabled account, or null. */
    public Uni<TokenOwner> findValid(byte[] tokenHash) {
        return pool.preparedQuery("SELECT a.id, a.username, a.role, t.expires_at FROM admin_tokens t"
                        + " JOIN admins a ON a.id = t.admin_id"
                        + " WHERE t.token_hash = $1 AND t.expires_at > now() AND NOT a.disabled")
                .execute(Tuple.of(Buffer.buffer(tokenHash)))
                .onItem().transform(rows -> rows.size() == 0 ? null : TokenOwner.from(rows.iterator().next()));
    }

    public Uni<Void> delete(byte[] tokenHash) {
        return pool.preparedQuery("DELETE FROM admin_tokens WHERE token_hash = $1")
                .execute(Tuple.of(Buffer.buffer(tokenHash)))
                .replaceWithVoid();
    }

    public Uni<Void> deleteExpired() {
        return pool.query("DELETE FROM admin_tokens WHERE expires_at <= now()").execute().replaceWithVoid();
    }

    /** Who a valid token speaks for. */
    public record TokenOwner(int adminId, String username, Role role, OffsetDateTime expiresAt) {
        static TokenOwner from(Row row) {
            return new TokenOwner(row.getInteger("id"), row.getString("username"),
                    Role.fromWireName(row.getString("role")), row.getOffsetDateTime("expires_at"));
        }
    }
}
