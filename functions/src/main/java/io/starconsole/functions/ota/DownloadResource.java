package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.ApiException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What a box downloads with the token of its lease (no login: the token is the credential). The
 * manifest and signatures are small and answered here; the image is a redirect to a short-lived
 * presigned URL of the object store, so it never streams through the functions.
 */
@Path("/ota/v1/download/{token}")
@PermitAll
@Tag(name = "ota")
public class DownloadResource {

    private final DownloadTokens tokens;
    private final ReleaseStorage storage;
    private final OtaConfig config;

    public DownloadResource(DownloadTokens tokens, ReleaseStorage storage, OtaConfig config) {
        this.tokens = tokens;
        this.storage = storage;
        this.config = config;
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "manifest.json, signatures ('<keyId> <base64>' per line) or image.enc (302 to the object store)")
    public Uni<Response> download(@PathParam("token") String token, @PathParam("name") String name) {
        return tokens.open(token, OffsetDateTime.now(ZoneOffset.UTC)).onItem().transform(release -> {
            if (release == null) {
                throw notFound();
            }
            Response.ResponseBuilder answer = switch (name) {
                case "manifest.json" -> Response.ok(release.manifest(), MediaType.APPLICATION_JSON_TYPE);
                case "signatures" -> Response.ok(release.signatures().getBytes(StandardCharsets.US_ASCII),
                        MediaType.TEXT_PLAIN_TYPE.withCharset("US-ASCII"));
                case "image.enc" -> Response.status(Response.Status.FOUND)
                        .location(storage.presignedGet(release.imageKey(), config.presignTtl()));
                default -> null;
            };
            if (answer == null) {
                throw notFound();
            }
            return answer.header("Cache-Control", "no-store").build();
        });
    }

    /** The same answer for an unknown token and an unknown name: a token is not confirmed by a guess. */
    private static ApiException notFound() {
        return new ApiException(Response.Status.NOT_FOUND, "not_found", "unknown or expired download token", null);
    }
}
