package io.starconsole.functions.box;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.Page;
import io.starconsole.functions.web.TextInput;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Set;

/** The box registry for operators: list, detail, history, approvals, address release. */
@Path("/api/v1/boxes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "boxes")
public class BoxResource {

    private static final Set<String> ADMISSIONS = Set.of("accepted", "pending", "rejected");
    private static final int MAX_TEXT = 128;

    private final BoxQueries queries;
    private final BoxAdministration administration;
    private final SecurityIdentity identity;

    public BoxResource(BoxQueries queries, BoxAdministration administration, SecurityIdentity identity) {
        this.queries = queries;
        this.administration = administration;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Boxes, filtered (group, online, admission, q), paged and sorted (sort=lastSeen, -lastSeen, spnIp, idString, group, ...)")
    public Uni<Page<Box>> list(@QueryParam("group") String group, @QueryParam("online") Boolean online,
                               @QueryParam("admission") String admission, @QueryParam("q") String text,
                               @QueryParam("page") Integer page, @QueryParam("size") Integer size,
                               @QueryParam("sort") String sort) {
        if (admission != null && !ADMISSIONS.contains(admission)) {
            throw ApiException.badField("admission", "admission must be accepted, pending or rejected");
        }
        TextInput.check("q", text, MAX_TEXT);
        TextInput.check("group", group, MAX_TEXT);
        Page.Request paging = Page.request(page, size);
        BoxQueries.orderBy(sort);
        return queries.list(new BoxQueries.Filter(BoxFields.blankToNull(group), online, admission,
                BoxFields.blankToNull(text), sort), paging);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "One box: the seed's fields, the added ones, and its lease")
    public Uni<Box> get(@PathParam("id") int id) {
        return queries.find(id);
    }

    @GET
    @Path("/{id}/history")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "The box's registrations, presence transitions and address changes, newest first")
    public Uni<Page<BoxQueries.Event>> history(@PathParam("id") int id, @QueryParam("page") Integer page,
                                               @QueryParam("size") Integer size) {
        return queries.history(id, Page.request(page, size));
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Accept a pending box")
    public Uni<Box> approve(@PathParam("id") int id, @Context HttpServerRequest http) {
        return administration.approve(id, Caller.of(identity, http)).flatMap(v -> queries.find(id));
    }

    @POST
    @Path("/{id}/reject")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Reject a box: its HELLOs are refused and its address released")
    public Uni<Box> reject(@PathParam("id") int id, @Context HttpServerRequest http) {
        return administration.reject(id, Caller.of(identity, http)).flatMap(v -> queries.find(id));
    }

    @DELETE
    @Path("/{id}/address")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Release the box's SPN IP into cool-down")
    public Uni<Void> releaseAddress(@PathParam("id") int id, @Context HttpServerRequest http) {
        return administration.releaseAddress(id, Caller.of(identity, http));
    }
}
