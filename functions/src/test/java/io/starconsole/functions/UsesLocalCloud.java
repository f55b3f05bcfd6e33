package io.starconsole.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.starconsole.localcloud.LocalCloudTestResource;

/** Puts every Quarkus test of this module on the shared local cloud (real PostgreSQL and S3 API). */
@QuarkusTestResource(LocalCloudTestResource.class)
public final class UsesLocalCloud {
    private UsesLocalCloud() {
    }
}
