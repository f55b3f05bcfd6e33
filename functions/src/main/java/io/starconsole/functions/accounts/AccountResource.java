package io.starconsole.functions.accounts;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.web.Caller;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;

/** Operator accounts, for admins only. */
@Path("/api/v1/admins")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
@Tag(name = "accounts")
public class AccountResource {

    private final AccountService accounts;
    private final SecurityIdentity identity;

    public AccountResource(AccountService accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every account (never a password hash)")
    public Uni<List<Account>> list() {
        return accounts.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(summary = "A new account: username, password (12..128 characters), role admin|operator|viewer")
    public Uni<Account> create(AccountService.NewAccount request, @Context HttpServerRequest http) {
        return accounts.create(request, Caller.of(identity, http));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change role, disabled or password; the account's tokens are revoked")
    public Uni<Account> change(@PathParam("id") int id, AccountService.Change request,
                               @Context HttpServerRequest http) {
        return accounts.change(id, request, Caller.of(identity, http));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an account (not yourself, not the last enabled admin)")
    public Uni<Void> delete(@PathParam("id") int id, @Context HttpServerRequest http) {
        return accounts.delete(id, Caller.of(identity, http));
    }
}
