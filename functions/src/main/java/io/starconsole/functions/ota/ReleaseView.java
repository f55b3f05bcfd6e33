package io.starconsole.functions.ota;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** A release as the API shows it: never its key. */
public record ReleaseView(long id, String model, String version, long plainSize, long encryptedSize,
                          String plainSha512, String encryptedSha512, String imageKey, String manifestKey,
                          List<String> compatibleModels, List<String> signatureKeyIds, String state,
                          String createdBy, OffsetDateTime createdAt, OffsetDateTime withdrawnAt, String withdrawnBy) {

    /** The columns {@link #from} reads. */
    static final String COLUMNS = "id, model, version, size_bytes, encrypted_size, sha512_plain, sha512_encrypted,"
            + " image_key, manifest_key, compatible_models, signature_key_ids, state, created_by, created_at,"
            + " withdrawn_at, withdrawn_by";

    static ReleaseView from(Row row) {
        return new ReleaseView(row.getLong("id"), row.getString("model"), row.getString("version"),
                row.getLong("size_bytes"), row.getLong("encrypted_size"), row.getString("sha512_plain"),
                row.getString("sha512_encrypted"), row.getString("image_key"), row.getString("manifest_key"),
                Arrays.asList(row.getArrayOfStrings("compatible_models")),
                Arrays.asList(row.getArrayOfStrings("signature_key_ids")), row.getString("state"),
                row.getString("created_by"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("withdrawn_at"),
                row.getString("withdrawn_by"));
    }
}
