package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.web.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A box's command history. */
@Path("/api/v1/boxes/{id}/commands")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "boxes")
public class BoxCommandsResource {

    private final CommandQueries queries;

    public BoxCommandsResource(CommandQueries queries) {
        this.queries = queries;
    }

    @GET
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "The box's deliveries, newest first, with each command's type, arguments and priority")
    public Uni<Page<DeliveryView>> list(@PathParam("id") int id, @QueryParam("page") Integer page,
                                        @QueryParam("size") Integer size) {
        return queries.forBox(id, Page.request(page, size));
    }
}
