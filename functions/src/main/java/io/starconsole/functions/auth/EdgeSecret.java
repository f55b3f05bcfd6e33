package io.starconsole.functions.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.MessageDigest;

/**
 * The shared secret the UDP edges present on {@code /internal/} calls ({@code star-console.edge.secret},
 * env {@code STAR_CONSOLE_EDGE_SECRET}). Without one configured, every internal call is refused.
 * Compared in constant time over SHA-256 digests, so neither content nor length leaks.
 */
@ApplicationScoped
public class EdgeSecret {

    /** Where the edge's calls live; operator tokens are not accepted there. */
    public static final String INTERNAL_PATH_PREFIX = "/internal/";

    private static final Logger LOG = Logger.getLogger(EdgeSecret.class);

    private final byte[] secretDigest;
    private final SecurityIdentity edgeIdentity = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("edge"))
            .addRole(Role.Names.EDGE)
            .build();

    public EdgeSecret(EdgeConfig config) {
        this.secretDigest = config.secret().filter(s -> !s.isBlank()).map(EdgeSecret::digest).orElse(null);
        if (secretDigest == null) {
            LOG.warn("star-console.edge.secret is not set: every call on /internal/ is refused");
        }
    }

    /** The edge's identity when the presented secret is the configured one, else null. */
    SecurityIdentity identityFor(String presented) {
        if (secretDigest == null || presented == null) {
            return null;
        }
        return MessageDigest.isEqual(secretDigest, digest(presented)) ? edgeIdentity : null;
    }

    private static byte[] digest(String value) {
        return Hashes.sha256(value);
    }
}
