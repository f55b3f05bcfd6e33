package io.starconsole.functions.objectstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.Optional;

/**
 * {@code star-console.object-store.*}: where firmware lives. Locally the s3proxy of the local cloud
 * (endpoint, path-style, static keys); on AWS no endpoint and no keys (the Lambda role's credentials).
 */
@ConfigMapping(prefix = "star-console.object-store")
public interface ObjectStoreConfig {

    Optional<URI> endpoint();

    @WithDefault("star-console-ota")
    String bucket();

    @WithDefault("us-east-1")
    String region();

    @WithDefault("false")
    boolean pathStyle();

    Optional<String> accessKey();

    Optional<String> secretKey();
}
