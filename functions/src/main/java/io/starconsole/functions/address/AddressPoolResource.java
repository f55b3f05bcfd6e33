package io.starconsole.functions.address;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.Page;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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
import org.jboss.resteasy.reactive.ResponseStatus;

import java.time.OffsetDateTime;
import java.util.List;

/** Address pools (one per group, plus the default pool), their leases and reservations. */
@Path("/api/v1/address-pools")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "addresses")
public class AddressPoolResource {

    private final AddressPoolRepository pools;
    private final AddressPoolService service;
    private final SecurityIdentity identity;

    public AddressPoolResource(AddressPoolRepository pools, AddressPoolService service, SecurityIdentity identity) {
        this.pools = pools;
        this.service = service;
        this.identity = identity;
    }

    /** A pool as the API shows it; {@code assignable} counts the hosts a box may get. */
    public record PoolView(int id, String name, String group, String network, String gateway, String mask,
                           long assignable, long bound, long reserved, long cooling, OffsetDateTime createdAt) {
        static PoolView of(AddressPool pool, long bound, long reserved, long cooling) {
            Ipv4.Cidr network = pool.network();
            long assignable = network.size() - 2 - (pool.gateway() == null ? 0 : 1);
            return new PoolView(pool.id(), pool.name(), pool.group(), network.toString(), pool.gateway(), pool.mask(),
                    assignable, bound, reserved, cooling, pool.createdAt());
        }
    }

    @GET
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "Every pool with its usage")
    public Uni<List<PoolView>> list() {
        return pools.listWithUsage().onItem().transform(list -> list.stream()
                .map(u -> PoolView.of(u.pool(), u.bound(), u.reserved(), u.cooling())).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @ResponseStatus(201)
    @Operation(summary = "Create a pool: name, group (null = default pool), network (CIDR, /8../30), gateway (default: first host)")
    public Uni<PoolView> create(AddressPoolService.NewPool request, @Context HttpServerRequest http) {
        return service.create(request, Caller.of(identity, http)).onItem().transform(p -> PoolView.of(p, 0, 0, 0));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Delete a pool; refused while any of its addresses is bound")
    public Uni<Void> delete(@PathParam("id") int id, @Context HttpServerRequest http) {
        return service.delete(id, Caller.of(identity, http));
    }

    @GET
    @Path("/{id}/leases")
    @RolesAllowed(Role.Names.VIEWER)
    @Operation(summary = "The pool's bound, reserved and cooling addresses, in address order")
    public Uni<Page<AddressPoolRepository.LeaseView>> leases(@PathParam("id") int id, @QueryParam("page") Integer page,
                                                           @QueryParam("size") Integer size) {
        Page.Request paging = Page.request(page, size);
        return pools.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("address pool"))
                .flatMap(p -> pools.countLeases(id))
                .flatMap(total -> pools.leases(id, paging.page(), paging.size())
                        .onItem().transform(items -> new Page<>(items, total, paging.page(), paging.size())));
    }

    @POST
    @Path("/{id}/reservations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.Names.OPERATOR)
    @ResponseStatus(201)
    @Operation(summary = "Reserve an address: pinned to a box (boxId) or held for none")
    public Uni<AddressPoolRepository.LeaseView> reserve(@PathParam("id") int id,
                                                        AddressPoolService.NewReservation request,
                                                        @Context HttpServerRequest http) {
        return service.reserve(id, request, Caller.of(identity, http));
    }

    @DELETE
    @Path("/{id}/reservations/{address}")
    @RolesAllowed(Role.Names.OPERATOR)
    @Operation(summary = "Delete a reservation (a pinned address stays with its box, unpinned)")
    public Uni<Void> deleteReservation(@PathParam("id") int id, @PathParam("address") String address,
                                       @Context HttpServerRequest http) {
        return service.deleteReservation(id, address, Caller.of(identity, http));
    }
}
