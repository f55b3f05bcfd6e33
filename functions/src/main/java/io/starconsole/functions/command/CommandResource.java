package io.starconsole.functions.command;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.Page;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Pool;
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

/** The command queue for operators: enqueue, follow, cancel. */
@Path("/api/v1/commands")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commands")
public class CommandResource {

    private static final Set<String> COMMAND_STATES = Set.of("queued", "in_progress", "succeeded", "failed", "expired",
            "cancelled", "superseded", "rolled_back", "partial");
    private static final Set<String> DELIVERY_STATES = Set.of("queued", "delivered", "succeeded", "failed", "expired",
            "cancelled", "superseded", "rolled_back");

    private final CommandService commands;
    private final CommandQueries queries;
    private final Targets targets;
    private final Pool pool;
    private final SecurityIdentity identity;

    public CommandResource(CommandService commands, CommandQueries queries, Targets targets, Pool pool,
                           SecurityIdentity identity) {
        this.commands = commands;
        this.queries = queries;
        this.targets = targets;
        this.pool = pool;
        this.identity = identity;
    }

    /** How many boxes a target reaches now. */
    public record Preview(long boxes) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Queue a command for a box, a group or all boxes")
    public Uni<Response> enqueue(CommandService.EnqueueRequest request, @Context HttpServerRequest http) {
        return commands.enqueue(request, Caller.of(identity, http))
                .onItem().transform(view -> Response.status(Response.Status.CREATED).entity(view).build());
    }

    /** The commands a batch queued, in its order. */
    public record Queued(java.util.List<CommandView> commands) {
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Queue several commands in order, all or none (at most " + CommandService.MAX_BATCH
            + "); an error names the entry at fault")
    public Uni<Response> enqueueAll(CommandService.EnqueueBatch batch, @Context HttpServerRequest http) {
        return commands.enqueueAll(batch, Caller.of(identity, http))
                .onItem().transform(views -> Response.status(Response.Status.CREATED).entity(new Queued(views)).build());
    }

    @GET
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Commands, newest first, filtered by state, type and box")
    public Uni<Page<CommandView>> list(@QueryParam("state") String state, @QueryParam("type") String type,
                                       @QueryParam("box") Integer box, @QueryParam("page") Integer page,
                                       @QueryParam("size") Integer size) {
        if (state != null && !COMMAND_STATES.contains(state)) {
            throw ApiException.badField("state", "state must be one of " + COMMAND_STATES);
        }
        CommandType parsed = type == null || type.isBlank() ? null : CommandType.parse(type, "type");
        return queries.list(new CommandQueries.Filter(state, parsed, box), Page.request(page, size));
    }

    @GET
    @Path("/preview")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "How many boxes a target (box=, group= or all=true) reaches now")
    public Uni<Preview> preview(@QueryParam("box") String box, @QueryParam("group") String group,
                                @QueryParam("all") Boolean all) {
        Targets.Target target = Targets.check(new Targets.Spec(box, group, all), "target");
        if ("box".equals(target.kind())) {
            return targets.box(pool, target.value(), "target").onItem().transform(found -> new Preview(1));
        }
        return targets.count(pool, target).onItem().transform(Preview::new);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "One command with the count of its deliveries per state")
    public Uni<CommandView> get(@PathParam("id") long id) {
        return queries.find(id);
    }

    @GET
    @Path("/{id}/deliveries")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "The command's deliveries, one per box")
    public Uni<Page<DeliveryView>> deliveries(@PathParam("id") long id, @QueryParam("state") String state,
                                              @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        if (state != null && !DELIVERY_STATES.contains(state)) {
            throw ApiException.badField("state", "state must be one of " + DELIVERY_STATES);
        }
        return queries.deliveries(id, state, Page.request(page, size));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Cancel what is still queued of the command (and of its P2P partner); delivered ones run to the end")
    public Uni<CommandView> cancel(@PathParam("id") long id, @Context HttpServerRequest http) {
        return commands.cancel(id, Caller.of(identity, http));
    }
}
