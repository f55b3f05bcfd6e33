package io.starconsole.functions.address;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Makes the default pool ({@code star-console.addresses.default-pool}, gateway = its first host)
 * at start when there is none, so a fresh console hands out addresses at once. Several instances
 * starting together make one: the database refuses a second default pool.
 */
public class DefaultPoolBootstrap {

    private static final Logger LOG = Logger.getLogger(DefaultPoolBootstrap.class);
    private static final Duration STARTUP_QUERY_TIMEOUT = Duration.ofSeconds(30);

    void onStart(@Observes StartupEvent event, AddressPoolRepository pools, AddressConfig config) {
        if (pools.defaultPoolExists().await().atMost(STARTUP_QUERY_TIMEOUT)) {
            return;
        }
        Ipv4.Cidr network = Ipv4.Cidr.parse(config.defaultPool());
        if (network == null || network.prefixLength() < AddressPool.MIN_PREFIX
                || network.prefixLength() > AddressPool.MAX_PREFIX) {
            throw new IllegalStateException("star-console.addresses.default-pool must be an IPv4 block /"
                    + AddressPool.MIN_PREFIX + " to /" + AddressPool.MAX_PREFIX + ", e.g. 10.99.0.0/16");
        }
        AddressPool created = pools.insert(pools.client(), "default", null, network, Ipv4.format(network.firstHost()))
                .await().atMost(STARTUP_QUERY_TIMEOUT);
        if (created != null) {
            LOG.infof("created the default address pool %s (gateway %s)", network, created.gateway());
        } else if (!pools.defaultPoolExists().await().atMost(STARTUP_QUERY_TIMEOUT)) {
            LOG.warnf("could not create the default address pool %s: it overlaps a pool or one is named 'default'",
                    network);
        }
    }
}
