package io.starconsole.functions.address;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;

/** An address pool: a CIDR block for one group, or the default pool (group null). */
public record AddressPool(int id, String name, String group, Ipv4.Cidr network, String gateway,
                          OffsetDateTime createdAt) {

    /** Pools are /8 to /30: a /31 or /32 has no host to give besides network and broadcast. */
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 30;

    static final String COLUMNS = "id, name, groupname, network::text AS network, host(gateway) AS gateway, created_at";

    static AddressPool from(Row row) {
        return new AddressPool(row.getInteger("id"), row.getString("name"), row.getString("groupname"),
                Ipv4.Cidr.parse(row.getString("network")), row.getString("gateway"),
                row.getOffsetDateTime("created_at"));
    }

    /** Whether a box may hold this address: a host of the block that is not the gateway. */
    public boolean isAssignable(long address) {
        return network.isHost(address) && (gateway == null || Ipv4.parse(gateway) != address);
    }

    public String mask() {
        return Ipv4.maskOf(network.prefixLength());
    }
}
