package io.starconsole.functions.address;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** A box that holds no lease yet (it was registered in this transaction) and the address it asked for, or null. */
    public record Wanted(int boxId, String requested) {
    }

    /**
     * The same rules for boxes that hold no lease and no reservation yet (new in this transaction),
     * all in one group, with one statement per step instead of per box: the pool, the addresses
     * asked for (when a free, assignable host; two boxes asking for one address: the first asks),
     * then a free host for each of the others. What each box got, by box id, in the order given.
     */
    public Uni<Map<Integer, Assignment>> assignToNewBoxes(SqlClient db, String group, List<Wanted> boxes) {
        return pools.findForGroup(db, group).flatMap(pool -> {
            Map<Integer, Assignment> assigned = new LinkedHashMap<>();
            if (pool == null) {
                boxes.forEach(box -> assigned.put(box.boxId(), new Assignment(null, null, false, null, true, false)));
                return Uni.createFrom().item(assigned);
            }
            List<String> requested = new ArrayList<>();
            List<Integer> asking = new ArrayList<>();
            Set<Long> askedFor = new HashSet<>();
            for (Wanted box : boxes) {
                long address = box.requested() == null ? -1 : Ipv4.parse(box.requested());
                if (address >= 0 && pool.isAssignable(address) && askedFor.add(address)) {
                    requested.add(Ipv4.format(address));
                    asking.add(box.boxId());
                }
            }
            Uni<Map<Integer, String>> boundAsAsked = requested.isEmpty() ? Uni.createFrom().item(Map.of())
                    : leases.bindEachIfFree(db, pool, requested, asking);
            return boundAsAsked.flatMap(bound -> {
                List<Integer> others = new ArrayList<>();
                for (Wanted box : boxes) {
                    String address = bound.get(box.boxId());
                    if (address == null) {
                        others.add(box.boxId());
                    }
                    assigned.put(box.boxId(), address == null ? null
                            : new Assignment(address, pool.mask(), true, null, false, false));
                }
                return allocateEach(db, pool, others, 1, assigned);
            }).replaceWith(assigned);
        });
    }

    private Uni<Void> allocateEach(SqlClient db, AddressPool pool, List<Integer> boxIds, int attempt,
                                   Map<Integer, Assignment> assigned) {
        if (boxIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // The first attempt draws hosts at random; the later ones scan, which also tells a full pool.
        return leases.allocateEach(db, pool, boxIds, attempt == 1).flatMap(result -> {
            List<Integer> without = new ArrayList<>();
            for (int boxId : boxIds) {
                String address = result.taken().get(boxId);
                if (address == null) {
                    without.add(boxId);
                } else {
                    assigned.put(boxId, new Assignment(address, pool.mask(), true, null, false, false));
                }
            }
            if (without.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            boolean poolFull = attempt > 1 && result.candidates() == 0;
            if (poolFull || attempt >= MAX_ATTEMPTS) {
                without.forEach(boxId -> assigned.put(boxId, new Assignment(null, null, false, null, poolFull, !poolFull)));
                return Uni.createFrom().voidItem();
            }
            return allocateEach(db, pool, without, attempt + 1, assigned);
        });
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
