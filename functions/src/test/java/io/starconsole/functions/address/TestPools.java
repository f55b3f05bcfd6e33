package io.starconsole.functions.address;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Group pools for tests, each in its own block of 172.16.0.0/12 so tests never share addresses. */
public final class TestPools {

    private static final AtomicInteger NEXT_BLOCK = new AtomicInteger();

    private TestPools() {
    }

    /** A fresh group name. */
    public static String newGroup() {
        return "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new block of this prefix length (24..30) no other test uses: 172.16.n.0/len. */
    public static String newBlock(int prefixLength) {
        int n = NEXT_BLOCK.getAndIncrement();
        return "172." + (16 + n / 256) + "." + (n % 256) + ".0/" + prefixLength;
    }

    /** Creates a pool for the group straight in the database; gateway the block's first host. */
    public static Ipv4.Cidr createPool(Pool pool, String group, int prefixLength) {
        Ipv4.Cidr cidr = Ipv4.Cidr.parse(newBlock(prefixLength));
        pool.preparedQuery("INSERT INTO address_pools (name, groupname, network, gateway) VALUES ($1, $2, $3::text::cidr, $4::text::inet)")
                .execute(Tuple.of("pool-" + group, group, cidr.toString(), Ipv4.format(cidr.firstHost())))
                .await().atMost(Duration.ofSeconds(10));
        return cidr;
    }
}
