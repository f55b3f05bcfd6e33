package io.starconsole.functions.address;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Leases in {@code address_leases}. The primary key on the address and the unique index on a
 * bound box make a double assignment impossible; these statements only pick candidates and take
 * them with {@code INSERT ... ON CONFLICT}, so a lost race shows as "not taken", never as two
 * holders. A cooling address whose cool-down has passed counts as free. Every method runs on the
 * caller's connection, so it joins the caller's transaction.
 */
@ApplicationScoped
public class LeaseRepository {

    /** Takes a free address; a cooled-down row is taken over, any other existing row wins. */
    private static final String TAKE = " ON CONFLICT (address) DO UPDATE SET pool_id = EXCLUDED.pool_id,"
            + " box_id = EXCLUDED.box_id, state = EXCLUDED.state, pinned = EXCLUDED.pinned, note = EXCLUDED.note,"
            + " bound_at = EXCLUDED.bound_at, cool_down_until = NULL"
            + " WHERE address_leases.state = 'cooling' AND address_leases.cool_down_until <= now()"
            + " RETURNING host(address) AS address";

    private static final String IN_USE = "NOT EXISTS (SELECT 1 FROM address_leases l WHERE l.address = c.h"
            + " AND NOT (l.state = 'cooling' AND l.cool_down_until <= now()))";

    /**
     * The free hosts of the pool ({@code $1} its network, {@code $3} its hosts, {@code $4} its gateway)
     * from offset {@code $2}, wrapping around, lazily: the series stops at the statement's limit.
     */
    private static final String FREE_HOSTS = " SELECT h FROM (SELECT $1::text::inet + generate_series($2::bigint, $3::bigint) AS h"
            + "   UNION ALL SELECT $1::text::inet + generate_series(1::bigint, $2::bigint - 1) AS h) c"
            + " WHERE h IS DISTINCT FROM $4::text::inet AND " + IN_USE;

    /**
     * One free host of the pool, scanning from a random offset and wrapping around (lazily: the
     * series stops at the first hit), and takes it. Network, broadcast and gateway are never in the
     * series. {@code candidate} is null only when the pool has no free host.
     */
    private static final String ALLOCATE = "WITH candidate AS (" + FREE_HOSTS + " LIMIT 1),"
            + " taken AS (INSERT INTO address_leases (address, pool_id, box_id, state, pinned, note, bound_at)"
            + "   SELECT h, $5, $6, 'bound', false, NULL, now() FROM candidate" + TAKE + ")"
            + " SELECT (SELECT host(h) FROM candidate) AS candidate, (SELECT address FROM taken) AS taken";

    /**
     * Free hosts among {@code $2} hosts of the pool drawn at random. Taken hosts lie in long runs (each
     * allocation takes the first free hosts after its offset, so runs grow like clusters of linear
     * probing), which a scan from a random offset walks through host by host; random draws find a free
     * host at every {@code 1 / (free share)} draw instead. Cannot tell a full pool: that is
     * {@link #FREE_HOSTS}'s part. Each draw's lease is looked up by a scalar subquery: as NOT EXISTS
     * the generic plan is a hash anti-join that reads every lease of the table (EXPLAIN at 29,000
     * leases: 6.5 ms against 0.4 ms).
     */
    private static final String SAMPLED_FREE_HOSTS = " SELECT h FROM (SELECT DISTINCT $1::text::inet"
            + " + (1 + floor(random() * $3))::bigint AS h FROM generate_series(1, $2::bigint)) c"
            + " WHERE h IS DISTINCT FROM $4::text::inet AND (SELECT count(*) FROM address_leases l WHERE l.address = c.h"
            + "   AND NOT (l.state = 'cooling' AND l.cool_down_until <= now())) = 0";

    private static final String ALLOCATE_EACH_SCANNING = allocateEach(FREE_HOSTS);
    private static final String ALLOCATE_EACH_SAMPLED = allocateEach(SAMPLED_FREE_HOSTS);

    /**
     * The same for several boxes at once, among {@code freeHosts} ({@link #FREE_HOSTS} or
     * {@link #SAMPLED_FREE_HOSTS}): the first {@code $7} free hosts found, the n-th to the n-th box of
     * {@code $6}. A candidate another transaction took meanwhile is not taken (its box is not in the
     * answer); {@code candidates} is how many free hosts were seen.
     */
    private static String allocateEach(String freeHosts) {
        return "WITH candidate AS (" + freeHosts + " LIMIT $7),"
                + " numbered AS (SELECT h, row_number() OVER () AS n FROM candidate),"
                + " taken AS (INSERT INTO address_leases (address, pool_id, box_id, state, pinned, note, bound_at)"
                + "   SELECT c.h, $5, w.box_id, 'bound', false, NULL, now()"
                + "   FROM numbered c JOIN unnest($6::int[]) WITH ORDINALITY AS w(box_id, n) USING (n)" + TAKE + ", box_id)"
                + " SELECT (SELECT count(*) FROM candidate) AS candidates,"
                + " (SELECT array_agg(address ORDER BY box_id) FROM taken) AS addresses,"
                + " (SELECT array_agg(box_id ORDER BY box_id) FROM taken) AS box_ids";
    }

    /** A box's bound lease. */
    public record Lease(String address, int poolId, boolean pinned) {
        static Lease from(Row row) {
            return new Lease(row.getString("address"), row.getInteger("pool_id"), row.getBoolean("pinned"));
        }
    }

    /** The result of one allocation attempt. */
    public record Attempt(String taken, boolean poolFull) {
    }

    /** A released lease: which address, which box. */
    public record Released(String address, int boxId) {
    }

    public Uni<Lease> boundLease(SqlClient db, int boxId) {
        return db.preparedQuery("SELECT host(address) AS address, pool_id, pinned FROM address_leases"
                        + " WHERE box_id = $1 AND state = 'bound'")
                .execute(Tuple.of(boxId))
                .onItem().transform(rows -> rows.size() == 0 ? null : Lease.from(rows.iterator().next()));
    }

    /** An address reserved for a box and now bound to it; {@code released} the address it gave up, or null. */
    public record Claimed(String address, int poolId, String released) {
    }

    /**
     * When this address is reserved for this very box (a pending change of its SPN IP), binds it to
     * the box and releases the box's old address into cool-down; null when there is no such reservation.
     */
    public Uni<Claimed> claimReservation(SqlClient db, int boxId, long address, Duration coolDown) {
        String text = Ipv4.format(address);
        return db.preparedQuery("SELECT pool_id FROM address_leases WHERE address = $1::text::inet AND box_id = $2"
                        + " AND state = 'reserved' FOR UPDATE")
                .execute(Tuple.of(text, boxId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    int poolId = rows.iterator().next().getInteger("pool_id");
                    return release(db, boxId, coolDown, true).flatMap(released -> db.preparedQuery(
                                    "UPDATE address_leases SET state = 'bound', bound_at = now(), note = NULL,"
                                            + " cool_down_until = NULL WHERE address = $1::text::inet")
                            .execute(Tuple.of(text))
                            .replaceWith(new Claimed(text, poolId, released)));
                });
    }

    /** Binds this address to the box when it is free; the address, or null when it is held. */
    public Uni<String> bindIfFree(SqlClient db, AddressPool pool, long address, int boxId, boolean pinned,
                                  String note) {
        return db.preparedQuery("INSERT INTO address_leases (address, pool_id, box_id, state, pinned, note, bound_at)"
                        + " VALUES ($1::text::inet, $2, $3, 'bound', $4, $5, now())" + TAKE)
                .execute(Tuple.of(Ipv4.format(address), pool.id(), boxId, pinned, note))
                .onItem().transform(LeaseRepository::firstAddress);
    }

    /**
     * Binds each address to its box when it is free, in one statement; the addresses bound, by box.
     * The addresses must be distinct.
     */
    public Uni<Map<Integer, String>> bindEachIfFree(SqlClient db, AddressPool pool, List<String> addresses,
                                                    List<Integer> boxIds) {
        return db.preparedQuery("INSERT INTO address_leases (address, pool_id, box_id, state, pinned, note, bound_at)"
                        + " SELECT a::inet, $3, b, 'bound', false, NULL, now() FROM unnest($1::text[], $2::int[]) AS r(a, b)"
                        + TAKE + ", box_id")
                .execute(Tuple.of(addresses.toArray(String[]::new), boxIds.toArray(Integer[]::new), pool.id()))
                .onItem().transform(rows -> {
                    Map<Integer, String> bound = new HashMap<>();
                    rows.forEach(row -> bound.put(row.getInteger("box_id"), row.getString("address")));
                    return bound;
                });
    }

    /** The result of one allocation attempt for several boxes: what each got, and how many hosts were free. */
    public record Attempts(Map<Integer, String> taken, long candidates) {
    }

    /**
     * One attempt to bind a free host of the pool to each of the boxes (distinct, none holding a
     * lease): among hosts drawn at random when {@code sampled} (cheap while the pool has room; may
     * find fewer than asked), else scanning from a random offset ({@code candidates} 0: the pool is full).
     */
    public Uni<Attempts> allocateEach(SqlClient db, AddressPool pool, List<Integer> boxIds, boolean sampled) {
        Ipv4.Cidr cidr = pool.network();
        long hosts = cidr.size() - 2;
        // Drawn: four per box and a few more, enough while at least a third of the pool is free.
        long drawsOrOffset = sampled ? 4L * boxIds.size() + 16 : 1 + ThreadLocalRandom.current().nextLong(hosts);
        return db.preparedQuery(sampled ? ALLOCATE_EACH_SAMPLED : ALLOCATE_EACH_SCANNING)
                .execute(Tuple.from(List.of(Ipv4.format(cidr.network()), drawsOrOffset, hosts,
                        pool.gateway() == null ? "0.0.0.0" : pool.gateway(), pool.id(), boxIds.toArray(Integer[]::new),
                        (long) boxIds.size())))
                .onItem().transform(rows -> {
                    Row row = rows.iterator().next();
                    Map<Integer, String> taken = new HashMap<>();
                    String[] addresses = row.getArrayOfStrings("addresses");
                    Integer[] boxes = row.getArrayOfIntegers("box_ids");
                    for (int i = 0; addresses != null && i < addresses.length; i++) {
                        taken.put(boxes[i], addresses[i]);
                    }
                    return new Attempts(taken, row.getLong("candidates"));
                });
    }

    /** Reserves a free address (never handed out); the address, or null when it is held. */
    public Uni<String> reserveIfFree(SqlClient db, AddressPool pool, long address, String note) {
        return db.preparedQuery("INSERT INTO address_leases (address, pool_id, box_id, state, pinned, note)"
                        + "  VALUES ($1::text::inet, $2, NULL, 'reserved', true, $3)" + TAKE)
                .execute(Tuple.of(Ipv4.format(address), pool.id(), note))
                .onItem().transform(LeaseRepository::firstAddress);
    }

    /** One attempt to bind some free host of the pool to the box. */
    public Uni<Attempt> allocate(SqlClient db, AddressPool pool, int boxId) {
        Ipv4.Cidr cidr = pool.network();
        long hosts = cidr.size() - 2;
        long start = 1 + ThreadLocalRandom.current().nextLong(hosts);
        return db.preparedQuery(ALLOCATE)
                .execute(Tuple.from(List.of(Ipv4.format(cidr.network()), start, hosts,
                                pool.gateway() == null ? "0.0.0.0" : pool.gateway(), pool.id(), boxId)))
                .onItem().transform(rows -> {
                    Row row = rows.iterator().next();
                    return new Attempt(row.getString("taken"), row.getString("candidate") == null);
                });
    }

    /**
     * Releases the box's bound lease into cool-down (also a pinned one when {@code includePinned});
     * the released address or null.
     */
    public Uni<String> release(SqlClient db, int boxId, Duration coolDown, boolean includePinned) {
        return db.preparedQuery("UPDATE address_leases SET state = 'cooling', pinned = false, bound_at = NULL,"
                        + " cool_down_until = now() + make_interval(secs => $2)"
                        + " WHERE box_id = $1 AND state = 'bound'" + (includePinned ? "" : " AND NOT pinned")
                        + " RETURNING host(address) AS address")
                .execute(Tuple.of(boxId, (double) coolDown.toSeconds()))
                .onItem().transform(LeaseRepository::firstAddress);
    }

    /**
     * Releases into cool-down the unpinned leases of every box offline and unseen since
     * {@code cutoff}, and forgets cooled-down rows; one statement, safe on several instances.
     */
    public Uni<List<Released>> reclaim(SqlClient db, OffsetDateTime cutoff, Duration coolDown) {
        return db.preparedQuery("WITH cooled AS (DELETE FROM address_leases WHERE state = 'cooling'"
                        + "   AND cool_down_until <= now())"
                        + " UPDATE address_leases l SET state = 'cooling', bound_at = NULL,"
                        + "   cool_down_until = now() + make_interval(secs => $2)"
                        + " FROM spnclients c WHERE l.box_id = c.id AND l.state = 'bound' AND NOT l.pinned"
                        + "   AND NOT c.online AND coalesce(c.last_seen, c.registered_at) < $1"
                        + " RETURNING host(l.address) AS address, l.box_id")
                .execute(Tuple.of(cutoff, (double) coolDown.toSeconds()))
                .onItem().transform(rows -> {
                    List<Released> released = new ArrayList<>();
                    rows.forEach(row -> released.add(new Released(row.getString("address"), row.getInteger("box_id"))));
                    return released;
                });
    }

    private static String firstAddress(RowSet<Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next().getString("address");
    }
}
