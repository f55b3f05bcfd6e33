package io.starconsole.functions.address;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Address pools in {@code address_pools}, and the read side of their leases. */
@ApplicationScoped
public class AddressPoolRepository {

    private final Pool pool;

    public AddressPoolRepository(Pool pool) {
        this.pool = pool;
    }

    /** The pool of the group, else the default pool, else null. */
    public Uni<AddressPool> findForGroup(SqlClient db, String group) {
        return db.preparedQuery("SELECT " + AddressPool.COLUMNS + " FROM address_pools"
                        + " WHERE groupname = $1 OR groupname IS NULL ORDER BY groupname IS NULL LIMIT 1")
                .execute(Tuple.of(group))
                .onItem().transform(AddressPoolRepository::firstPool);
    }

    public Uni<AddressPool> findById(SqlClient db, int id) {
        return db.preparedQuery("SELECT " + AddressPool.COLUMNS + " FROM address_pools WHERE id = $1")
                .execute(Tuple.of(id))
                .onItem().transform(AddressPoolRepository::firstPool);
    }

    public Uni<AddressPool> findById(int id) {
        return findById(pool, id);
    }

    /** Every pool with its lease counts. */
    public Uni<List<PoolUsage>> listWithUsage() {
        return pool.query("SELECT " + AddressPool.COLUMNS
                        + ", count(l.address) FILTER (WHERE l.state = 'bound') AS bound,"
                        + " count(l.address) FILTER (WHERE l.state = 'reserved') AS reserved,"
                        + " count(l.address) FILTER (WHERE l.state = 'cooling' AND l.cool_down_until > now()) AS cooling"
                        + " FROM address_pools p LEFT JOIN address_leases l ON l.pool_id = p.id"
                        + " GROUP BY p.id ORDER BY p.groupname NULLS FIRST, p.name")
                .execute()
                .onItem().transform(rows -> {
                    List<PoolUsage> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new PoolUsage(AddressPool.from(row), row.getLong("bound"),
                            row.getLong("reserved"), row.getLong("cooling"))));
                    return list;
                });
    }

    /** Inserts the pool unless its name or group is taken or it overlaps one; the pool or null. */
    public Uni<AddressPool> insert(SqlClient db, String name, String group, Ipv4.Cidr network, String gateway) {
        return db.preparedQuery("INSERT INTO address_pools (name, groupname, network, gateway)"
                        + " VALUES ($1, $2, $3::text::cidr, $4::text::inet) ON CONFLICT DO NOTHING RETURNING " + AddressPool.COLUMNS)
                .execute(Tuple.of(name, group, network.toString(), gateway))
                .onItem().transform(AddressPoolRepository::firstPool);
    }

    /** The pools that overlap this block, or share its name or group. */
    public Uni<List<AddressPool>> findClashing(SqlClient db, String name, String group, Ipv4.Cidr network) {
        return db.preparedQuery("SELECT " + AddressPool.COLUMNS + " FROM address_pools"
                        + " WHERE network && $1::text::cidr OR name = $2 OR groupname IS NOT DISTINCT FROM $3")
                .execute(Tuple.of(network.toString(), name, group))
                .onItem().transform(rows -> {
                    List<AddressPool> list = new ArrayList<>();
                    rows.forEach(row -> list.add(AddressPool.from(row)));
                    return list;
                });
    }

    /** Deletes the pool unless an address of it is bound; true when deleted. */
    public Uni<Boolean> deleteIfUnbound(SqlClient db, int id) {
        return db.preparedQuery("DELETE FROM address_pools p WHERE id = $1 AND NOT EXISTS"
                        + " (SELECT 1 FROM address_leases l WHERE l.pool_id = p.id AND l.state = 'bound')")
                .execute(Tuple.of(id))
                .onItem().transform(rows -> rows.rowCount() == 1);
    }

    private static final String LEASE_VIEW = "SELECT host(l.address) AS address, l.state, l.box_id, l.pinned, l.note,"
            + " l.bound_at, l.cool_down_until, c.publickey, c.spnbox_id"
            + " FROM address_leases l LEFT JOIN spnclients c ON c.id = l.box_id WHERE l.pool_id = $1";

    /** One lease row of the pool. */
    public Uni<LeaseView> lease(int poolId, String address) {
        return pool.preparedQuery(LEASE_VIEW + " AND l.address = $2::text::inet")
                .execute(Tuple.of(poolId, address))
                .onItem().transform(rows -> LeaseView.from(rows.iterator().next()));
    }

    /** One page of a pool's lease rows, in address order, with the holder's public key and id string. */
    public Uni<List<LeaseView>> leases(int poolId, int page, int size) {
        return pool.preparedQuery(LEASE_VIEW + " ORDER BY l.address LIMIT $2 OFFSET $3")
                .execute(Tuple.of(poolId, size, (long) page * size))
                .onItem().transform(rows -> {
                    List<LeaseView> list = new ArrayList<>();
                    rows.forEach(row -> list.add(LeaseView.from(row)));
                    return list;
                });
    }

    public Uni<Long> countLeases(int poolId) {
        return pool.preparedQuery("SELECT count(*) FROM address_leases WHERE pool_id = $1")
                .execute(Tuple.of(poolId))
                .onItem().transform(rows -> rows.iterator().next().getLong(0));
    }

    /** Deletes a reservation (a reserved row, or a pin: the box then keeps it as a normal lease). */
    public Uni<Boolean> deleteReservation(SqlClient db, int poolId, String address) {
        return db.preparedQuery("WITH unpinned AS (UPDATE address_leases SET pinned = false, note = NULL"
                        + "   WHERE pool_id = $1 AND address = $2::text::inet AND state = 'bound' AND pinned RETURNING 1),"
                        + " deleted AS (DELETE FROM address_leases WHERE pool_id = $1 AND address = $2::text::inet"
                        + "   AND state = 'reserved' RETURNING 1)"
                        + " SELECT (SELECT count(*) FROM unpinned) + (SELECT count(*) FROM deleted)")
                .execute(Tuple.of(poolId, address))
                .onItem().transform(rows -> rows.iterator().next().getLong(0) > 0);
    }

    public Uni<Boolean> defaultPoolExists() {
        return pool.query("SELECT EXISTS (SELECT 1 FROM address_pools WHERE groupname IS NULL)").execute()
                .onItem().transform(rows -> rows.iterator().next().getBoolean(0));
    }

    public Pool client() {
        return pool;
    }

    private static AddressPool firstPool(RowSet<Row> rows) {
        return rows.size() == 0 ? null : AddressPool.from(rows.iterator().next());
    }

    /** A pool and how many of its addresses are bound, reserved and cooling. */
    public record PoolUsage(AddressPool pool, long bound, long reserved, long cooling) {
    }

    /** A lease row as operators see it. */
    public record LeaseView(String address, String state, Integer boxId, boolean pinned, String note,
                            OffsetDateTime boundAt, OffsetDateTime coolDownUntil, String publicKey,
                            String idString) {
        static LeaseView from(Row row) {
            return new LeaseView(row.getString("address"), row.getString("state"), row.getInteger("box_id"),
                    row.getBoolean("pinned"), row.getString("note"), row.getOffsetDateTime("bound_at"),
                    row.getOffsetDateTime("cool_down_until"), row.getString("publickey"), row.getString("spnbox_id"));
        }
    }
}
