package io.starconsole.functions.address;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.starconsole.functions.web.TextInput;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Operators' changes to pools and reservations: checked first, stored in one transaction, audited. */
@ApplicationScoped
public class AddressPoolService {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    private final Pool pool;
    private final AddressPoolRepository pools;
    private final LeaseRepository leases;
    private final AddressConfig config;
    private final AuditLog audit;

    public AddressPoolService(Pool pool, AddressPoolRepository pools, LeaseRepository leases, AddressConfig config,
                              AuditLog audit) {
        this.pool = pool;
        this.pools = pools;
        this.leases = leases;
        this.config = config;
        this.audit = audit;
    }

    public record NewPool(String name, String group, String network, String gateway) {
    }

    public record NewReservation(String address, Integer boxId, String note) {
    }

    public Uni<AddressPool> create(NewPool request, Caller caller) {
        if (request == null || request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw ApiException.badField("name", "name must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String group = request.group() == null || request.group().isBlank() ? null : request.group();
        if (group != null && !NAME.matcher(group).matches()) {
            throw ApiException.badField("group", "group must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Ipv4.Cidr network = Ipv4.Cidr.parse(request.network());
        if (network == null) {
            throw ApiException.badField("network", "network must be an IPv4 block like 10.20.0.0/16 with no host bits set");
        }
        if (network.prefixLength() < AddressPool.MIN_PREFIX || network.prefixLength() > AddressPool.MAX_PREFIX) {
            throw ApiException.badField("network", "the prefix length must be between " + AddressPool.MIN_PREFIX
                    + " and " + AddressPool.MAX_PREFIX);
        }
        long first = network.network() >>> 24;
        if (first == 0 || first == 127 || first >= 224) {
            throw ApiException.badField("network", "network must not be in 0.0.0.0/8, 127.0.0.0/8 or 224.0.0.0/3");
        }
        String gateway = request.gateway() == null || request.gateway().isBlank()
                ? Ipv4.format(network.firstHost()) : request.gateway();
        if (!network.isHost(Ipv4.parse(gateway))) {
            throw ApiException.badField("gateway", "gateway must be a host address inside " + network);
        }
        return Transactions.run(pool, db -> pools.findClashing(db, request.name(), group, network).flatMap(clashes -> {
                    for (AddressPool clash : clashes) {
                        if (clash.network().overlaps(network)) {
                            throw ApiException.conflict("pool_overlaps", "network overlaps pool '" + clash.name()
                                    + "' (" + clash.network() + ")");
                        }
                        if (clash.name().equals(request.name())) {
                            throw ApiException.conflict("name_taken", "a pool named '" + clash.name() + "' exists");
                        }
                        throw ApiException.conflict("group_has_pool", group == null ? "a default pool exists"
                                : "group '" + group + "' has a pool");
                    }
                    return pools.insert(db, request.name(), group, network, gateway);
                }))
                .onItem().ifNull().failWith(() -> ApiException.conflict("pool_clash",
                        "another pool with this name, group or overlapping network was just created"))
                .flatMap(created -> {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("name", created.name());
                    detail.put("group", created.group());
                    detail.put("network", created.network().toString());
                    detail.put("gateway", created.gateway());
                    return audit.record(caller.actor(), "address_pool.created", "address_pool:" + created.id(), detail,
                            caller.source()).replaceWith(created);
                });
    }

    public Uni<Void> delete(int id, Caller caller) {
        return Transactions.run(pool, db -> pools.findById(db, id).flatMap(existing -> {
                    if (existing == null) {
                        return Uni.createFrom().failure(ApiException.notFound("address pool"));
                    }
                    return pools.deleteIfUnbound(db, id).flatMap(deleted -> deleted ? Uni.createFrom().voidItem()
                            : Uni.createFrom().failure(ApiException.conflict("addresses_bound",
                                    "boxes hold addresses of this pool: release them first")));
                }))
                .flatMap(v -> audit.record(caller.actor(), "address_pool.deleted", "address_pool:" + id, null,
                        caller.source()));
    }

    /**
     * Reserves an address of the pool: pinned to a box (which gives up any other address and keeps
     * this one through reclaim), or held for no box (never handed out).
     */
    public Uni<AddressPoolRepository.LeaseView> reserve(int poolId, NewReservation request, Caller caller) {
        if (request == null || request.address() == null) {
            throw ApiException.badField("address", "address is required");
        }
        long address = Ipv4.parse(request.address());
        if (address < 0) {
            throw ApiException.badField("address", "address must be a dotted quad");
        }
        TextInput.check("note", request.note(), 256);
        return Transactions.run(pool, db -> pools.findById(db, poolId).flatMap(target -> {
                    if (target == null) {
                        return Uni.createFrom().failure(ApiException.notFound("address pool"));
                    }
                    if (!target.isAssignable(address)) {
                        return Uni.createFrom().failure(ApiException.badField("address", "address must be a host of "
                                + target.network() + " other than its gateway"));
                    }
                    if (request.boxId() == null) {
                        return leases.reserveIfFree(db, target, address, request.note());
                    }
                    return db.preparedQuery("SELECT id FROM spnclients WHERE id = $1 FOR UPDATE")
                            .execute(Tuple.of(request.boxId()))
                            .flatMap(rows -> rows.size() == 0
                                    ? Uni.createFrom().failure(ApiException.badField("boxId", "no box has this id"))
                                    : pin(db, target, address, request));
                }))
                .onItem().ifNull().failWith(() -> ApiException.conflict("address_taken",
                        "this address is bound, reserved or cooling down"))
                .flatMap(taken -> {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("address", taken);
                    detail.put("boxId", request.boxId());
                    return audit.record(caller.actor(), "address.reserved", "address_pool:" + poolId, detail,
                            caller.source());
                })
                .flatMap(v -> pools.lease(poolId, request.address()));
    }

    private Uni<String> pin(SqlClient db, AddressPool target, long address,
                            NewReservation request) {
        int boxId = request.boxId();
        return leases.boundLease(db, boxId).flatMap(current -> {
            if (current != null && current.address().equals(Ipv4.format(address))) {
                return db.preparedQuery("UPDATE address_leases SET pinned = true, note = $2 WHERE box_id = $1"
                                + " AND state = 'bound' RETURNING host(address) AS address")
                        .execute(Tuple.of(boxId, request.note()))
                        .onItem().transform(rows -> rows.iterator().next().getString("address"));
            }
            Uni<String> freed = current == null ? Uni.createFrom().nullItem()
                    : leases.release(db, boxId, config.coolDown(), true);
            return freed.flatMap(v -> leases.bindIfFree(db, target, address, boxId, true, request.note()))
                    .flatMap(got -> got != null ? Uni.createFrom().item(got)
                            // roll back the release above: the address is held by someone else
                            : Uni.createFrom().failure(ApiException.conflict("address_taken",
                                    "this address is bound, reserved or cooling down")));
        });
    }

    public Uni<Void> deleteReservation(int poolId, String address, Caller caller) {
        if (Ipv4.parse(address) < 0) {
            throw ApiException.badField("address", "address must be a dotted quad");
        }
        return Transactions.run(pool, db -> pools.deleteReservation(db, poolId, address))
                .flatMap(deleted -> deleted ? audit.record(caller.actor(), "address.reservation_deleted",
                        "address_pool:" + poolId, Map.of("address", address), caller.source())
                        : Uni.createFrom().failure(new ApiException(Response.Status.NOT_FOUND, "not_found",
                                "no reservation of this address in this pool", null)));
    }
}
