package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Download tokens: 128 random bits, base64url, handed to the box with each lease of an
 * UPDATE_FIRMWARE; only their SHA-256 is stored, bound to the release and the box.
 */
@ApplicationScoped
public class DownloadTokens {

    public static final int TOKEN_SIZE_IN_BYTES = 16;
    private static final Pattern FORM = Pattern.compile("^[A-Za-z0-9_-]{22}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final OtaConfig config;

    public DownloadTokens(Pool pool, OtaConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** A release as a download sees it. */
    public record Release(long id, String imageKey, byte[] manifest, String signatures) {
    }

    Uni<String> issue(SqlClient db, long releaseId, int boxId, long deliveryId, OffsetDateTime now) {
        byte[] raw = new byte[TOKEN_SIZE_IN_BYTES];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        return db.preparedQuery("INSERT INTO ota_download_tokens (token_hash, release_id, box_id, delivery_id, expires_at)"
                        + " VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(Buffer.buffer(hash(token)), releaseId, boxId, deliveryId,
                        now.plus(config.downloadTokenTtl())))
                .replaceWith(token);
    }

    /** The published release a valid token opens, or null (unknown, expired, withdrawn). */
    public Uni<Release> open(String token, OffsetDateTime now) {
        if (token == null || !FORM.matcher(token).matches()) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT f.id, f.image_key, f.manifest, f.signatures FROM ota_download_tokens t"
                        + " JOIN firmware_releases f ON f.id = t.release_id"
                        + " WHERE t.token_hash = $1 AND t.expires_at > $2 AND f.state = 'published'")
                .execute(Tuple.of(Buffer.buffer(hash(token)), now))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Release(row.getLong("id"), row.getString("image_key"),
                            row.getBuffer("manifest").getBytes(), row.getString("signatures"));
                });
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
