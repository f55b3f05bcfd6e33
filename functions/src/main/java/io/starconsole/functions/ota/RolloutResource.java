package io.starconsole.functions.ota;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
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

import java.util.Set;

/** Rollouts of a release to a box, a group or all boxes, in waves (docs/ota.md). */
@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ota")
public class RolloutResource {

    private static final Set<String> STATES = Set.of("running", "halted", "completed", "cancelled");

    private final RolloutService rollouts;
    private final OtaKeys keys;
    private final SecurityIdentity identity;

    public RolloutResource(RolloutService rollouts, OtaKeys keys, SecurityIdentity identity) {
        this.rollouts = rollouts;
        this.keys = keys;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Start a rollout; the first wave's boxes get their UPDATE_FIRMWARE at once")
    public Uni<Response> start(RolloutService.StartRequest request, @Context HttpServerRequest http) {
        return rollouts.start(request, Caller.of(identity, http))
                .onItem().transform(view -> Response.status(Response.Status.CREATED).entity(view).build());
    }

    @GET
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Rollouts, newest first, with their progress")
    public Uni<Page<RolloutView>> list(@QueryParam("releaseId") Long releaseId, @QueryParam("state") String state,
                                       @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        keys.require();
        if (state != null && !STATES.contains(state)) {
            throw ApiException.badField("state", "state must be one of " + STATES);
        }
        return rollouts.list(releaseId, state, Page.request(page, size));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "One rollout with its progress")
    public Uni<RolloutView> get(@PathParam("id") long id) {
        keys.require();
        return rollouts.find(id);
    }

    @GET
    @Path("/{id}/boxes")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "The rollout's boxes with their state, by box id")
    public Uni<Page<RolloutView.Box>> boxes(@PathParam("id") long id, @QueryParam("state") String state,
                                            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        keys.require();
        if (state != null && !RolloutStates.REPORTABLE.contains(state)) {
            throw ApiException.badField("state", "state must be one of " + RolloutStates.REPORTABLE);
        }
        return rollouts.boxes(id, state, Page.request(page, size));
    }

    @POST
    @Path("/{id}/halt")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Halt: deliveries not yet leased are cancelled")
    public Uni<RolloutView> halt(@PathParam("id") long id, @Context HttpServerRequest http) {
        return rollouts.halt(id, Caller.of(identity, http));
    }

    @POST
    @Path("/{id}/resume")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Resume a halted rollout; failures so far no longer count against the threshold")
    public Uni<RolloutView> resume(@PathParam("id") long id, @Context HttpServerRequest http) {
        return rollouts.resume(id, Caller.of(identity, http));
    }
}
