package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.command.CommandArguments;
import io.starconsole.functions.command.FirmwareUpdates;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;

/**
 * UPDATE_FIRMWARE in the queue (docs/ota.md section 6): checked at enqueue, expanded at lease with the
 * release key (opened only here, never stored in the commands table nor logged) and a fresh download
 * token; the box's result moves its rollout row.
 */
@ApplicationScoped
public class OtaFirmwareUpdates implements FirmwareUpdates {

    private static final String REFUSAL = "the release was withdrawn (or OTA is not configured)";

    private final OtaKeys keys;
    private final OtaConfig config;
    private final DownloadTokens tokens;

    public OtaFirmwareUpdates(OtaKeys keys, OtaConfig config, DownloadTokens tokens) {
        this.keys = keys;
        this.config = config;
        this.tokens = tokens;
    }

    @Override
    public Uni<Void> checkRelease(SqlClient db, long releaseId) {
        keys.require();
        return db.preparedQuery("SELECT state FROM firmware_releases WHERE id = $1").execute(Tuple.of(releaseId))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.badField(CommandArguments.FIELD, "release " + releaseId + " does not exist");
                    }
                    if (!"published".equals(rows.iterator().next().getString("state"))) {
                        throw ApiException.badField(CommandArguments.FIELD, "release " + releaseId + " is withdrawn");
                    }
                    return null;
                });
    }

    @Override
    public Uni<String> expand(SqlClient db, long deliveryId, int boxId, String storedContents, OffsetDateTime now) {
        if (!keys.configured()) {
            return Uni.createFrom().nullItem();
        }
        CommandArguments.Firmware stored = CommandArguments.firmware(storedContents);
        return db.preparedQuery("SELECT id, model, version, release_key_ciphertext, release_key_nonce"
                        + " FROM firmware_releases WHERE id = $1 AND state = 'published'")
                .execute(Tuple.of(stored.releaseId()))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row release = rows.iterator().next();
                    String model = release.getString("model");
                    String version = release.getString("version");
                    return tokens.issue(db, stored.releaseId(), boxId, deliveryId, now)
                            .call(token -> db.preparedQuery("UPDATE rollout_boxes SET deadline_at = greatest(deadline_at, $2),"
                                            + " message = 'command leased', updated_at = now() WHERE delivery_id = $1"
                                            + " AND state NOT IN " + RolloutStates.FINAL)
                                    .execute(Tuple.of(deliveryId, now.plus(config.healthDeadline()))))
                            .onItem().transform(token -> {
                                byte[] key = keys.seal().open(new ReleaseKeySeal.Sealed(
                                        release.getBuffer("release_key_ciphertext").getBytes(),
                                        release.getBuffer("release_key_nonce").getBytes()), model, version);
                                try {
                                    return "release=" + stored.releaseId() + "|model=" + model + "|version=" + version
                                            + "|force=" + (stored.force() ? 1 : 0)
                                            + "|key=" + Base64.getEncoder().encodeToString(key)
                                            + "|base=" + baseUrl() + "/ota/v1/download/" + token;
                                } finally {
                                    Arrays.fill(key, (byte) 0);
                                }
                            });
                });
    }

    private String baseUrl() {
        String url = config.publicUrl().trim();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String refusal() {
        return REFUSAL;
    }

    /**
     * The box's own failure or roll-back is final (even over a success judged by health); its word of
     * success is only noted: success is judged by registration and heartbeat ({@link OtaHealth}).
     */
    @Override
    public Uni<Void> resultReported(SqlClient db, long deliveryId, String state, String message) {
        String text = message == null || message.isBlank() ? state : message;
        if ("succeeded".equals(state)) {
            return db.preparedQuery("UPDATE rollout_boxes SET message = $2, updated_at = now() WHERE delivery_id = $1"
                            + " AND state NOT IN " + RolloutStates.FINAL)
                    .execute(Tuple.of(deliveryId, "the box reports success: " + text)).replaceWithVoid();
        }
        return db.preparedQuery("UPDATE rollout_boxes SET state = $2, message = $3, updated_at = now()"
                        + " WHERE delivery_id = $1")
                .execute(Tuple.of(deliveryId, state, text)).replaceWithVoid();
    }
}
