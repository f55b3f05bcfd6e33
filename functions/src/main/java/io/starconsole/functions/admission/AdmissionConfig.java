package io.starconsole.functions.admission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code star-console.admission.*}: the defaults of the admission settings. An operator can change
 * both through {@code PUT /api/v1/admission-settings}; the stored value then wins.
 */
@ConfigMapping(prefix = "star-console.admission")
public interface AdmissionConfig {

    @WithDefault("open")
    AdmissionPolicy policy();

    @WithDefault("false")
    boolean manualApproval();
}
