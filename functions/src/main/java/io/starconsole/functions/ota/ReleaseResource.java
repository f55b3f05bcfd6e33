package io.starconsole.functions.ota;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.firmware.Signatures;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.Page;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Firmware releases and the keys that sign them (docs/ota.md). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ota")
public class ReleaseResource {

    private static final Set<String> STATES = Set.of("published", "withdrawn");

    private final ReleaseService releases;
    private final OtaKeys keys;
    private final SecurityIdentity identity;

    public ReleaseResource(ReleaseService releases, OtaKeys keys, SecurityIdentity identity) {
        this.releases = releases;
        this.keys = keys;
        this.identity = identity;
    }

    /** A public key agents trust. */
    public record KeyView(String keyId, String publicKey, String publicKeyPem, boolean current) {
    }

    @GET
    @Path("/ota/keys")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "The manifest signing keys' public halves (what agents trust), the current one first")
    public List<KeyView> keys() {
        return keys.publicKeys().stream().map(key -> new KeyView(key.keyId(),
                Base64.getEncoder().encodeToString(Signatures.rawPublicKey(key.publicKey())),
                Signatures.publicKeyPem(key.publicKey()), key.current())).toList();
    }

    @POST
    @Path("/releases")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Publish a release: check the uploaded image, sign the manifest, store the release key sealed")
    public Uni<Response> publish(ReleaseService.PublishRequest request, @Context HttpServerRequest http) {
        return releases.publish(request, Caller.of(identity, http))
                .onItem().transform(view -> Response.status(Response.Status.CREATED).entity(view).build());
    }

    @GET
    @Path("/releases")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Releases, newest first")
    public Uni<Page<ReleaseView>> list(@QueryParam("model") String model, @QueryParam("state") String state,
                                       @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        keys.require();
        if (state != null && !STATES.contains(state)) {
            throw ApiException.badField("state", "state must be published or withdrawn");
        }
        if (model != null && !model.isEmpty() && !ReleaseService.MODEL.matcher(model).matches()) {
            throw ApiException.badField("model", "model must match " + ReleaseService.MODEL.pattern());
        }
        return releases.list(model, state, Page.request(page, size));
    }

    @GET
    @Path("/releases/{id}")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "One release")
    public Uni<ReleaseView> get(@PathParam("id") long id) {
        keys.require();
        return releases.find(id);
    }

    @POST
    @Path("/releases/{id}/withdraw")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Withdraw a release: no new deliveries; its running rollouts halt")
    public Uni<ReleaseView> withdraw(@PathParam("id") long id, @Context HttpServerRequest http) {
        return releases.withdraw(id, Caller.of(identity, http));
    }
}
