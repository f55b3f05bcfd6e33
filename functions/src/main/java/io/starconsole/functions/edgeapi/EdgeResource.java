package io.starconsole.functions.edgeapi;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.box.RegisterRequest;
import io.starconsole.functions.box.RegisterResult;
import io.starconsole.functions.box.RegistrationService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the UDP edges relay from boxes. Only the edge secret opens these ({@code Authorization:
 * Bearer <edge secret>}, role {@code edge}); the edge has already proven each box's key.
 */
@Path("/internal/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.EDGE)
@Tag(name = "edge", description = "Internal API of the UDP edges")
public class EdgeResource {

    private final RegistrationService registrations;

    public EdgeResource(RegistrationService registrations) {
        this.registrations = registrations;
    }

    @POST
    @Path("/register")
    @Operation(summary = "HELLO: admit, upsert and assign an SPN IP")
    public Uni<RegisterResult> register(RegisterRequest request) {
        return registrations.register(request);
    }
}
