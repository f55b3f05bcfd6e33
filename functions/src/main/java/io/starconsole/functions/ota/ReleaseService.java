package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.starconsole.firmware.FirmwareException;
import io.starconsole.firmware.Manifest;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Publishing a release (docs/ota.md section 3): the manifest is checked against the uploaded image,
 * signed with every configured key, written next to the image, and the release stored with its key
 * sealed. The row is written first, so of two concurrent publishes of one version only one writes
 * the bucket.
 */
@ApplicationScoped
public class ReleaseService {

    public static final Pattern MODEL = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");
    public static final Pattern VERSION = Pattern.compile("^[0-9][0-9A-Za-z.+-]{0,31}$");
    private static final String ROOT = "firmware/";

    private final Pool pool;
    private final OtaKeys keys;
    private final ReleaseStorage storage;
    private final RolloutService rollouts;
    private final AuditLog audit;

    public ReleaseService(Pool pool, OtaKeys keys, ReleaseStorage storage, RolloutService rollouts, AuditLog audit) {
        this.pool = pool;
        this.keys = keys;
        this.storage = storage;
        this.rollouts = rollouts;
        this.audit = audit;
    }

    /** {@code POST /api/v1/releases}. */
    public record PublishRequest(String manifest, String releaseKey) {
    }

    public Uni<ReleaseView> publish(PublishRequest request, Caller caller) {
        keys.require();
        if (request == null) {
            throw ApiException.badField("manifest", "a JSON body is required");
        }
        Manifest manifest = manifest(request.manifest());
        byte[] releaseKey = releaseKey(request.releaseKey());
        String prefix = ROOT + manifest.model() + "/" + manifest.version() + "/";
        String manifestKey = prefix + "manifest.json";
        if (!(prefix + "image.enc").equals(manifest.imageKey())) {
            throw ApiException.badField("manifest", "imageKey must be " + prefix + "image.enc");
        }
        byte[] canonical = manifest.toCanonicalJson();
        Map<String, byte[]> signatures = keys.signer().sign(canonical);
        ReleaseKeySeal.Sealed sealed = keys.seal().seal(releaseKey, manifest.model(), manifest.version());
        Arrays.fill(releaseKey, (byte) 0);
        return exists(manifest).flatMap(v -> storage.size(manifest.imageKey())).flatMap(size -> {
            if (size == null) {
                throw new ApiException(Response.Status.BAD_REQUEST, "image_missing",
                        "no object " + manifest.imageKey() + " in the firmware bucket: upload image.enc first", "manifest");
            }
            if (size != manifest.encryptedSize()) {
                throw new ApiException(Response.Status.BAD_REQUEST, "image_size_mismatch", "the object "
                        + manifest.imageKey() + " has " + size + " bytes, the manifest says " + manifest.encryptedSize(),
                        "manifest");
            }
            return insert(manifest, manifestKey, canonical, signatures, sealed, caller);
        }).flatMap(id -> {
            Map<String, byte[]> objects = new LinkedHashMap<>();
            objects.put(manifestKey, canonical);
            signatures.forEach((keyId, signature) -> objects.put(manifestKey + "." + keyId + ".sig", signature));
            return storage.put(objects, "application/octet-stream")
                    .onFailure().call(failure -> pool.preparedQuery("DELETE FROM firmware_releases WHERE id = $1")
                            .execute(Tuple.of(id)))
                    .replaceWith(id);
        }).flatMap(id -> audit.record(caller.actor(), "release.published", "release:" + id, Map.of(
                        "model", manifest.model(), "version", manifest.version(), "imageKey", manifest.imageKey(),
                        "signatureKeyIds", List.copyOf(signatures.keySet())), caller.source())
                .flatMap(v -> find(id)));
    }

    private static Manifest manifest(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw ApiException.badField("manifest", "manifest is required: base64 of the canonical manifest JSON");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("manifest", "manifest must be base64");
        }
        if (bytes.length > Manifest.MAX_SIZE_IN_BYTES) {
            throw ApiException.badField("manifest", "the manifest is longer than " + Manifest.MAX_SIZE_IN_BYTES + " bytes");
        }
        Manifest manifest;
        try {
            manifest = Manifest.parse(bytes);
        } catch (FirmwareException | IllegalArgumentException e) {
            throw ApiException.badField("manifest", "the manifest is not valid: " + e.getMessage());
        }
        // Manifest checks these too; the bucket layout depends on them, so they are checked here again.
        if (manifest.model() == null || !MODEL.matcher(manifest.model()).matches()) {
            throw ApiException.badField("manifest", "model must match [a-z0-9][a-z0-9._-]{0,62}");
        }
        if (manifest.version() == null || !VERSION.matcher(manifest.version()).matches()) {
            throw ApiException.badField("manifest", "version must match [0-9][0-9A-Za-z.+-]{0,31}");
        }
        if (!new String(bytes, StandardCharsets.UTF_8).equals(new String(manifest.toCanonicalJson(), StandardCharsets.UTF_8))) {
            throw ApiException.badField("manifest", "the manifest must be in canonical form (keys sorted, no whitespace)");
        }
        return manifest;
    }

    private static byte[] releaseKey(String base64) {
        try {
            byte[] key = base64 == null ? null : Base64.getDecoder().decode(base64.trim());
            if (key != null && key.length == ReleaseKeySeal.KEY_SIZE_IN_BYTES) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // answered below, without echoing the input
        }
        throw ApiException.badField("releaseKey", "releaseKey must be base64 of 32 bytes");
    }

    private Uni<Void> exists(Manifest manifest) {
        return pool.preparedQuery("SELECT id FROM firmware_releases WHERE model = $1 AND version = $2")
                .execute(Tuple.of(manifest.model(), manifest.version()))
                .onItem().transform(rows -> {
                    if (rows.size() > 0) {
                        throw exists(manifest.model(), manifest.version());
                    }
                    return null;
                });
    }

    private static ApiException exists(String model, String version) {
        return ApiException.conflict("release_exists", "a release " + model + " " + version + " exists already;"
                + " publish a new version");
    }

    private Uni<Long> insert(Manifest manifest, String manifestKey, byte[] canonical, Map<String, byte[]> signatures,
                             ReleaseKeySeal.Sealed sealed, Caller caller) {
        StringBuilder lines = new StringBuilder();
        signatures.forEach((keyId, signature) -> lines.append(keyId).append(' ')
                .append(Base64.getEncoder().encodeToString(signature)).append('\n'));
        List<Object> values = new ArrayList<>(List.of(manifest.model(), manifest.version(), manifest.plainSize(),
                manifest.plainSha512(), manifest.encryptedSha512(), manifest.imageKey(), manifestKey,
                manifest.encryptedSize(), manifest.compatibleModels().toArray(new String[0]),
                io.vertx.core.buffer.Buffer.buffer(canonical), lines.toString(),
                signatures.keySet().toArray(new String[0]), io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()),
                io.vertx.core.buffer.Buffer.buffer(sealed.nonce()), caller.actor()));
        return pool.preparedQuery("INSERT INTO firmware_releases (model, version, size_bytes, sha512_plain,"
                        + " sha512_encrypted, image_key, manifest_key, encrypted_size, compatible_models, manifest,"
                        + " signatures, signature_key_ids, release_key_ciphertext, release_key_nonce, created_by)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                        + " ON CONFLICT (model, version) DO NOTHING RETURNING id")
                .execute(Tuple.from(values))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw exists(manifest.model(), manifest.version());
                    }
                    return rows.iterator().next().getLong("id");
                });
    }

    public Uni<ReleaseView> find(long id) {
        return pool.preparedQuery("SELECT " + ReleaseView.COLUMNS + " FROM firmware_releases WHERE id = $1")
                .execute(Tuple.of(id))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("release " + id);
                    }
                    return ReleaseView.from(rows.iterator().next());
                });
    }

    /** Newest first, optionally of one model or state. */
    public Uni<Page<ReleaseView>> list(String model, String state, Page.Request page) {
        String where = " WHERE ($1::text IS NULL OR model = $1) AND ($2::text IS NULL OR state = $2)";
        return pool.preparedQuery("SELECT count(*) FROM firmware_releases" + where)
                .execute(Tuple.of(model, state))
                .flatMap(count -> pool.preparedQuery("SELECT " + ReleaseView.COLUMNS + " FROM firmware_releases" + where
                                + " ORDER BY id DESC LIMIT $3 OFFSET $4")
                        .execute(Tuple.of(model, state, page.size(), page.offset()))
                        .onItem().transform(rows -> {
                            List<ReleaseView> items = new ArrayList<>();
                            for (Row row : rows) {
                                items.add(ReleaseView.from(row));
                            }
                            return new Page<>(items, count.iterator().next().getLong(0), page.page(), page.size());
                        }));
    }

    /** Withdrawn: no new deliveries, its running rollouts halt. Withdrawing twice changes nothing more. */
    public Uni<ReleaseView> withdraw(long id, Caller caller) {
        keys.require();
        return Transactions.run(pool, db -> db.preparedQuery("UPDATE firmware_releases SET state = 'withdrawn',"
                                + " withdrawn_at = now(), withdrawn_by = $2 WHERE id = $1 AND state = 'published' RETURNING id")
                        .execute(Tuple.of(id, caller.actor()))
                        .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().<List<Long>>nullItem()
                                : rollouts.haltAllOf(db, id, "release withdrawn")))
                .flatMap(halted -> find(id).call(view -> halted == null ? Uni.createFrom().voidItem()
                        : audit.record(caller.actor(), "release.withdrawn", "release:" + id, Map.of("model", view.model(),
                                        "version", view.version(), "haltedRollouts", halted), caller.source())
                                .flatMap(v -> rollouts.auditHalts(halted, "release withdrawn", caller))));
    }
}
