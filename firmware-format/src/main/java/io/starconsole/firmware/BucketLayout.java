package io.starconsole.firmware;

import java.util.regex.Pattern;

/**
 * Names in the firmware store: {@code firmware/<model>/<version>/image.enc}, {@code manifest.json}
 * and {@code manifest.json.<keyId>.sig}. Model and version names outside the patterns (slashes,
 * "..", upper case models) are refused everywhere, before any object key is built.
 */
public final class BucketLayout {

    /** Model names: lower case letters and digits, then also '.', '_' and '-'; 1 to 63 characters. */
    public static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** Version names: a digit, then letters, digits, '.', '+' and '-'; 1 to 32 characters. */
    public static final Pattern VERSION = Pattern.compile("[0-9][0-9A-Za-z.+-]{0,31}");

    public static final String ROOT = "firmware/";
    public static final String IMAGE_NAME = "image.enc";
    public static final String MANIFEST_NAME = "manifest.json";

    private BucketLayout() {
    }

    public static boolean isValidModel(String model) {
        return model != null && MODEL.matcher(model).matches();
    }

    public static boolean isValidVersion(String version) {
        return version != null && VERSION.matcher(version).matches();
    }

    /** Throws {@link FirmwareException.Reason#BAD_MANIFEST} naming the first invalid name. */
    public static void requireValid(String model, String version) {
        if (!isValidModel(model)) {
            throw new FirmwareException(FirmwareException.Reason.BAD_MANIFEST, "invalid model name");
        }
        if (!isValidVersion(version)) {
            throw new FirmwareException(FirmwareException.Reason.BAD_MANIFEST, "invalid version name");
        }
    }

    /** {@code firmware/<model>/<version>/} */
    public static String releasePrefix(String model, String version) {
        requireValid(model, version);
        return ROOT + model + "/" + version + "/";
    }

    public static String imageKey(String model, String version) {
        return releasePrefix(model, version) + IMAGE_NAME;
    }

    public static String manifestKey(String model, String version) {
        return releasePrefix(model, version) + MANIFEST_NAME;
    }

    public static String signatureKey(String model, String version, String keyId) {
        if (keyId == null || !keyId.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("key id must be 16 lower-case hex characters");
        }
        return releasePrefix(model, version) + MANIFEST_NAME + "." + keyId + ".sig";
    }
}
