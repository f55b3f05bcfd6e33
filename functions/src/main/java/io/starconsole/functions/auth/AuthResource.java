package io.starconsole.functions.auth;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.RequestSource;
import io.starconsole.functions.web.TextInput;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;

@Path("/api/v1/auth")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private static final int MAX_FIELD_LENGTH = 256;

    private final LoginService logins;
    private final SecurityIdentity identity;

    public AuthResource(LoginService logins, SecurityIdentity identity) {
        this.logins = logins;
        this.identity = identity;
    }

    public record LoginRequest(String username, String password) {
    }

    public record LoginResponse(String token, OffsetDateTime expiresAt, String username, String role) {
    }

    public record Me(String username, String role) {
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(summary = "Log in with {username, password}: a bearer token for the other calls, and when it expires")
    public Uni<LoginResponse> login(LoginRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw ApiException.badField("username", "a JSON body with username and password is required");
        }
        requireText("username", request.username());
        requireText("password", request.password());
        return logins.login(request.username(), request.password(), RequestSource.of(http))
                .onItem().transform(t -> new LoginResponse(t.token(), t.expiresAt(), t.username(), t.role().wireName()));
    }

    @POST
    @Path("/logout")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Revoke the token of this call")
    public Uni<Void> logout(@Context HttpServerRequest http) {
        String token = identity.getCredential(TokenCredential.class).getToken();
        return logins.logout(token, identity.getPrincipal().getName(), RequestSource.of(http));
    }

    @GET
    @Path("/me")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Who the token belongs to, and their role")
    public Me me() {
        String role = identity.hasRole(Role.Names.ADMIN) ? Role.Names.ADMIN
                : identity.hasRole(Role.Names.OPERATOR) ? Role.Names.OPERATOR : Role.Names.VIEWER;
        return new Me(identity.getPrincipal().getName(), role);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badField(field, field + " is required");
        }
        TextInput.check(field, value, MAX_FIELD_LENGTH);
    }
}
