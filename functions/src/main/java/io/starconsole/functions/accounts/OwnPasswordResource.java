package io.starconsole.functions.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.web.Caller;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Any logged-in account changes its own password. */
@Path("/api/v1/auth/password")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "accounts")
public class OwnPasswordResource {

    private final AccountService accounts;
    private final SecurityIdentity identity;

    public OwnPasswordResource(AccountService accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    /** {@code {"current", "new"}}. */
    public record Request(String current, @JsonProperty("new") String next) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Change your own password: {current, new}; your other tokens are revoked")
    public Uni<Void> change(Request request, @Context HttpServerRequest http) {
        String token = identity.getCredential(TokenCredential.class).getToken();
        return accounts.changeOwnPassword(request == null ? null
                        : new AccountService.PasswordChange(request.current(), request.next()),
                token, Caller.of(identity, http));
    }
}
