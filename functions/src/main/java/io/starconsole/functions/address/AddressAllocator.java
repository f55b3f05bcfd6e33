package io.starconsole.functions.address;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * DHCP-like SPN IP assignment for one box, inside the caller's transaction (which holds the box's
 * row lock, so one box is never assigned twice at once):
 * <ol>
 *   <li>A box keeps its bound address (sticky by public key) while that address is in the pool of
 *   its group, or is pinned by an operator.</li>
 *   <li>Otherwise it gets the address it asked for when that is a free, assignable host of its pool.</li>
 *   <li>Otherwise any free host of its pool; none left is "exhausted".</li>
 * </ol>
 * The pool of a box is its group's pool, else the default pool.
 */
@ApplicationScoped
public class AddressAllocator {

    /** Lost races before giving up with "try again"; each retry scans from another random offset. */
    static final int MAX_ATTEMPTS = 8;

    private final AddressPoolRepository pools;
    private final LeaseRepository leases;
    private final AddressConfig config;

    public AddressAllocator(AddressPoolRepository pools, LeaseRepository leases, AddressConfig config) {
        this.pools = pools;
        this.leases = leases;
        this.config = config;
    }

    /**
     * What happened: {@code address} (with the pool's {@code mask}) or none when {@code exhausted} /
     * {@code contended}; {@code newlyBound} when the box did not hold it before; {@code released} an
     * address it gave up (it was in another group's pool).
     */
    public record Assignment(String address, String mask, boolean newlyBound, String released, boolean exhausted,
                             boolean contended, boolean changedByCommand) {
        Assignment(String address, String mask, boolean newlyBound, String released, boolean exhausted,
                   boolean contended) {
            this(address, mask, newlyBound, released, exhausted, contended, false);
        }
    }

    /** @param requested the asked-for address, or null for "any" */
    public Uni<Assignment> assign(SqlClient db, int boxId, String group, String requested) {
        long wanted = requested == null ? -1 : Ipv4.parse(requested);
        if (wanted < 0) {
            return assignByRules(db, boxId, group, requested);
        }
        // 0. An address promised to this very box by a pending CHANGE_L3_SPN_IP_ADDRESS: switch to it.
        return leases.claimReservation(db, boxId, wanted, config.coolDown()).flatMap(claimed -> claimed == null
                ? assignByRules(db, boxId, group, requested)
                : pools.findById(db, claimed.poolId()).onItem().transform(pool -> new Assignment(claimed.address(),
                        pool.mask(), true, claimed.released(), false, false, true)));
    }

    private Uni<Assignment> assignByRules(SqlClient db, int boxId, String group, String requested) {
        return pools.findForGroup(db, group).flatMap(pool -> {
            if (pool == null) {
                return Uni.createFrom().item(new Assignment(null, null, false, null, true, false));
            }
            return leases.boundLease(db, boxId).flatMap(current -> {
                if (current != null && current.poolId() == pool.id()) {
                    return Uni.createFrom().item(new Assignment(current.address(), pool.mask(), false, null, false, false));
                }
                if (current != null && current.pinned()) {
                    return pools.findById(db, current.poolId()).onItem().transform(own ->
                            new Assignment(current.address(), own.mask(), false, null, false, false));
                }
                Uni<String> releaseWrongPool = current == null ? Uni.createFrom().nullItem()
                        : leases.release(db, boxId, config.coolDown(), false);
                return releaseWrongPool.flatMap(released -> bindRequested(db, pool, boxId, requested)
                        .flatMap(got -> got != null ? Uni.createFrom().item(got) : allocate(db, pool, boxId, 1))
                        .onItem().transform(a -> new Assignment(a.address(), a.mask(), a.address() != null,
                                released, a.exhausted(), a.contended())));
            });
        });
    }

    private Uni<Assignment> bindRequested(SqlClient db, AddressPool pool, int boxId, String requested) {
        long address = requested == null ? -1 : Ipv4.parse(requested);
        if (address < 0 || !pool.isAssignable(address)) {
            return Uni.createFrom().nullItem();
        }
        return leases.bindIfFree(db, pool, address, boxId, false, null)
                .onItem().transform(got -> got == null ? null : new Assignment(got, pool.mask(), true, null, false, false));
    }

    private Uni<Assignment> allocate(SqlClient db, AddressPool pool, int boxId, int attempt) {
        return leases.allocate(db, pool, boxId).flatMap(result -> {
            if (result.taken() != null) {
                return Uni.createFrom().item(new Assignment(result.taken(), pool.mask(), true, null, false, false));
            }
            if (result.poolFull()) {
                return Uni.createFrom().item(new Assignment(null, null, false, null, true, false));
            }
            if (attempt >= MAX_ATTEMPTS) {
                return Uni.createFrom().item(new Assignment(null, null, false, null, false, true));
            }
            return allocate(db, pool, boxId, attempt + 1);
        });
    }
}
