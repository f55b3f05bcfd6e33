package io.starconsole.functions.box;

import io.vertx.mutiny.sqlclient.Row;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A box as the API shows it: the seed's {@code spnclients} columns (under their seed names where
 * they differ: {@code vpnip}, {@code edport}), the added ones, and its lease. {@code spnIp} is the
 * bound address or null; {@code vpnip} is the stored seed column (a 0.x.y.z placeholder while the
 * box holds no address).
 */
public record Box(int id, String publicKey, String idString, String group, String spnIp, Integer mask,
                  String realIp, Integer realPort, boolean online, OffsetDateTime lastSeen, String admission,
                  String macAddress, String allowedIps, String endpointHost, Integer endpointPort,
                  Integer listenPort, String firmwareVersion, String edgeId, OffsetDateTime registeredAt,
                  OffsetDateTime updatedAt, LocalDate createdDate, String vpnip, short edport, boolean groupBound,
                  Lease lease) {

    /** The box's bound lease. */
    public record Lease(String address, int poolId, boolean pinned, OffsetDateTime boundAt) {
    }

    static final String FROM = " FROM spnclients c LEFT JOIN address_leases l ON l.box_id = c.id AND l.state = 'bound'";

    static final String COLUMNS = "c.id, c.publickey, c.spnbox_id, c.groupname, c.vpnmask, c.realip, c.realport,"
            + " c.online, c.last_seen, c.admission, c.mac_addr, c.allowed_ips, c.endpoint_host, c.endpoint_port,"
            + " c.listen_port, c.firmware_version, c.edge_id, c.registered_at, c.updated_at, c.created_date,"
            + " c.vpnip, c.edport, c.group_bound, host(l.address) AS lease_address, l.pool_id AS lease_pool_id,"
            + " l.pinned AS lease_pinned, l.bound_at AS lease_bound_at";

    static Box from(Row row) {
        String leaseAddress = row.getString("lease_address");
        Lease lease = leaseAddress == null ? null : new Lease(leaseAddress, row.getInteger("lease_pool_id"),
                row.getBoolean("lease_pinned"), row.getOffsetDateTime("lease_bound_at"));
        Short mask = row.getShort("vpnmask");
        return new Box(row.getInteger("id"), row.getString("publickey"), row.getString("spnbox_id"),
                row.getString("groupname"), leaseAddress, mask == null ? null : (int) mask,
                row.getString("realip"), row.getInteger("realport"), row.getBoolean("online"),
                row.getOffsetDateTime("last_seen"), row.getString("admission"), row.getString("mac_addr"),
                row.getString("allowed_ips"), row.getString("endpoint_host"), row.getInteger("endpoint_port"),
                row.getInteger("listen_port"), row.getString("firmware_version"), row.getString("edge_id"),
                row.getOffsetDateTime("registered_at"), row.getOffsetDateTime("updated_at"),
                row.getLocalDate("created_date"), row.getString("vpnip"), row.getShort("edport"),
                row.getBoolean("group_bound"), lease);
    }
}
