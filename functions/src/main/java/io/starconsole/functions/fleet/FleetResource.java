package io.starconsole.functions.fleet;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The overview page's data. */
@Path("/api/v1/fleet")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet")
public class FleetResource {

    private final FleetQueries queries;

    public FleetResource(FleetQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/summary")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Counts by presence and admission, the last 20 transitions, failed deliveries of the last"
            + " 24 h, and online boxes over the last 6 h in 10-minute buckets")
    public Uni<FleetSummary> summary() {
        return queries.summary();
    }
}
