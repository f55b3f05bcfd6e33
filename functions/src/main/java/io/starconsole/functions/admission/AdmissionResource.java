package io.starconsole.functions.admission;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;

/** Admission: the policy settings, enrolment tokens and pre-registered keys. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admission")
public class AdmissionResource {

    private final AdmissionService settings;
    private final EnrolmentTokenService tokens;
    private final PreregisteredKeyService keys;
    private final SecurityIdentity identity;

    public AdmissionResource(AdmissionService settings, EnrolmentTokenService tokens, PreregisteredKeyService keys,
                             SecurityIdentity identity) {
        this.settings = settings;
        this.tokens = tokens;
        this.keys = keys;
        this.identity = identity;
    }

    public record SettingsRequest(String policy, Boolean manualApproval) {
    }

    @GET
    @Path("/admission-settings")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "The admission policy in force (open, token, preregistered) and manual approval")
    public Uni<AdmissionSettings> getSettings() {
        return settings.current();
    }

    @PUT
    @Path("/admission-settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(summary = "Set the admission policy and manual approval for every instance (wins over the configuration)")
    public Uni<AdmissionSettings> putSettings(SettingsRequest request, @Context HttpServerRequest http) {
        AdmissionPolicy policy = request == null ? null : AdmissionPolicy.fromWireName(request.policy());
        if (policy == null) {
            throw ApiException.badField("policy", "policy must be open, token or preregistered");
        }
        if (request.manualApproval() == null) {
            throw ApiException.badField("manualApproval", "manualApproval (true or false) is required");
        }
        Caller caller = Caller.of(identity, http);
        return settings.update(policy, request.manualApproval(), caller.actor(), caller.source());
    }

    @DELETE
    @Path("/admission-settings")
    @RolesAllowed(Role.Names.ADMIN)
    @Operation(summary = "Forget the stored settings: the configured defaults hold again")
    public Uni<AdmissionSettings> resetSettings(@Context HttpServerRequest http) {
        Caller caller = Caller.of(identity, http);
        return settings.reset(caller.actor(), caller.source());
    }

    @GET
    @Path("/enrolment-tokens")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Enrolment tokens (never the token itself)")
    public Uni<List<EnrolmentTokenService.TokenView>> listTokens() {
        return tokens.list();
    }

    @POST
    @Path("/enrolment-tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @ResponseStatus(201)
    @Operation(summary = "Issue a token (description, group, uses: null = unlimited, expiresAt); the answer is the only copy")
    public Uni<EnrolmentTokenService.IssuedToken> issueToken(EnrolmentTokenService.NewToken request,
                                                             @Context HttpServerRequest http) {
        return tokens.issue(request, Caller.of(identity, http));
    }

    @DELETE
    @Path("/enrolment-tokens/{id}")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Revoke a token")
    public Uni<Void> revokeToken(@PathParam("id") long id, @Context HttpServerRequest http) {
        return tokens.revoke(id, Caller.of(identity, http));
    }

    @GET
    @Path("/preregistered-keys")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Pre-registered public keys")
    public Uni<List<PreregisteredKeyService.KeyView>> listKeys() {
        return keys.list();
    }

    @POST
    @Path("/preregistered-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @ResponseStatus(201)
    @Operation(summary = "Pre-register a public key (optionally bound to a group)")
    public Uni<PreregisteredKeyService.KeyView> addKey(PreregisteredKeyService.NewKey request,
                                                      @Context HttpServerRequest http) {
        return keys.add(request, Caller.of(identity, http));
    }

    @DELETE
    @Path("/preregistered-keys/{publicKey}")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Remove a pre-registered key (base64url in the path)")
    public Uni<Void> removeKey(@PathParam("publicKey") String publicKey, @Context HttpServerRequest http) {
        return keys.remove(publicKey, Caller.of(identity, http));
    }
}
