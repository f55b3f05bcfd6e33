package io.starconsole.functions.ota;

import io.starconsole.functions.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The configured signing keys and key-encryption key. Without them (or with malformed ones, logged
 * once without any key material) every OTA call answers 503 {@code ota_not_configured}.
 */
@ApplicationScoped
public class OtaKeys {

    private static final Logger LOG = Logger.getLogger(OtaKeys.class);

    private final ManifestSigner signer;
    private final ReleaseKeySeal seal;
    private final String problem;

    public OtaKeys(OtaConfig config) {
        ManifestSigner s = null;
        ReleaseKeySeal k = null;
        String p = null;
        if (config.signingKeys().isEmpty() || config.signingKeys().get().isBlank()) {
            p = "star-console.ota.signing-keys is not set";
        } else if (config.keyEncryptionKey().isEmpty()) {
            p = "star-console.ota.key-encryption-key is not set";
        } else {
            try {
                s = ManifestSigner.fromPkcs8Base64(Arrays.stream(config.signingKeys().get().split(","))
                        .filter(key -> !key.isBlank()).toList());
                k = new ReleaseKeySeal(decodeKeyEncryptionKey(config.keyEncryptionKey().get()));
            } catch (IllegalArgumentException e) {
                // the messages name a key's position, never its bytes
                p = "OTA keys are malformed: " + e.getMessage();
                s = null;
                k = null;
            }
        }
        if (p != null) {
            LOG.infof("OTA is off: %s", p);
        }
        this.signer = s;
        this.seal = k;
        this.problem = p;
    }

    private static byte[] decodeKeyEncryptionKey(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key-encryption key is not base64");
        }
    }

    public boolean configured() {
        return problem == null;
    }

    public ManifestSigner signer() {
        require();
        return signer;
    }

    public ReleaseKeySeal seal() {
        require();
        return seal;
    }

    public List<ManifestSigner.PublicKeyInfo> publicKeys() {
        return signer().publicKeys();
    }

    public void require() {
        if (problem != null) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "ota_not_configured",
                    "OTA is not configured on this console (" + problem + ")", null);
        }
    }
}
