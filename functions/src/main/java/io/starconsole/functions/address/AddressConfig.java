package io.starconsole.functions.address;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code star-console.addresses.*}: SPN IP allocation. */
@ConfigMapping(prefix = "star-console.addresses")
public interface AddressConfig {

    /** The default pool made at first start when there is none (gateway: its first host). */
    @WithDefault("10.99.0.0/16")
    String defaultPool();

    /** A released address is not handed out again for this long. */
    @WithDefault("PT1H")
    Duration coolDown();

    /** The lease of a box absent (offline, not seen) for this long goes back to the pool. */
    @WithDefault("P30D")
    Duration reclaimAfter();
}
