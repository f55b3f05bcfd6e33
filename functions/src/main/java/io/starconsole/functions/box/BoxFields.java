package io.starconsole.functions.box;

import io.starconsole.functions.address.Ipv4;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * What a box may send about itself, checked once here. Each method returns null when the value is
 * acceptable, otherwise the reason (naming no secret), so the caller decides between an HTTP 400
 * (the edge's envelope) and a NOK BAD_REQUEST (the box's HELLO).
 */
public final class BoxFields {

    /** X25519 public key, standard base64: 44 characters, 32 bytes. */
    public static final int PUBLIC_KEY_SIZE_IN_BYTES = 32;
    /** The seed's id field is 122 bytes. */
    public static final int MAX_ID_STRING_LENGTH = 122;
    /** The seed's allowed_ips field is 128 bytes. */
    public static final int MAX_ALLOWED_IPS_LENGTH = 128;
    public static final int MAX_NAME_LENGTH = 64;
    /** HELLO's firmware_version is a str8 of at most 32 bytes (docs/protocol.md). */
    public static final int MAX_FIRMWARE_VERSION_LENGTH = 32;

    private static final Pattern MAC = Pattern.compile("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$");
    private static final Pattern GROUP = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern IPV6_LITERAL = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

    private BoxFields() {
    }

    public static String publicKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "publicKey is required";
        }
        if (key.length() != 44) {
            return "publicKey must be 44 characters of base64 (a 32-byte X25519 key)";
        }
        try {
            if (Base64.getDecoder().decode(key).length != PUBLIC_KEY_SIZE_IN_BYTES) {
                return "publicKey must decode to 32 bytes";
            }
        } catch (IllegalArgumentException e) {
            return "publicKey is not valid base64";
        }
        return null;
    }

    /** A public key also accepted in URL-safe base64 (for paths), in its standard form; null if invalid. */
    public static String canonicalPublicKey(String key) {
        if (key == null) {
            return null;
        }
        String standard = key.replace('-', '+').replace('_', '/');
        return publicKeyProblem(standard) == null ? standard : null;
    }

    public static String groupProblem(String group) {
        if (group != null && !GROUP.matcher(group).matches()) {
            return "group must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
        }
        return null;
    }

    public static String macProblem(String mac) {
        return mac != null && MAC.matcher(mac).matches() ? null : "macAddress must look like aa:bb:cc:dd:ee:ff";
    }

    public static String portProblem(String field, Integer port) {
        return port == null || (port >= 0 && port <= 65535) ? null : field + " must be between 0 and 65535";
    }

    /** A real (public) address as the edge saw it: IPv4 dotted quad or an IPv6 literal. */
    public static boolean isRealAddress(String address) {
        return Ipv4.isValid(address) || (address != null && address.indexOf(':') >= 0
                && IPV6_LITERAL.matcher(address).matches());
    }

    /** Comma-separated IPv4 prefixes, e.g. {@code 10.1.2.1/32, 192.168.10.0/24}; empty is allowed. */
    public static String allowedIpsProblem(String allowedIps) {
        if (allowedIps == null || allowedIps.isBlank()) {
            return null;
        }
        if (allowedIps.length() > MAX_ALLOWED_IPS_LENGTH) {
            return "allowedIps is longer than " + MAX_ALLOWED_IPS_LENGTH + " characters";
        }
        for (String item : allowedIps.split(",")) {
            String prefix = item.trim();
            int slash = prefix.indexOf('/');
            String address = slash < 0 ? prefix : prefix.substring(0, slash);
            String length = slash < 0 ? "32" : prefix.substring(slash + 1);
            if (!Ipv4.isValid(address) || !length.matches("^(\\d|[12]\\d|3[0-2])$")) {
                return "allowedIps must be comma-separated IPv4 prefixes like 10.1.2.1/32";
            }
        }
        return null;
    }

    public static String textProblem(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return field + " is longer than " + maxLength + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return field + " contains control characters";
            }
        }
        return null;
    }

    /**
     * A firmware version a box reports (HELLO, OTA_STATUS): free text of the box's own making (older
     * firmware has its own styles), but never a path: no '/', '\\' or "..", since versions name
     * places in the bucket.
     */
    public static String versionProblem(String field, String version) {
        String problem = textProblem(field, version, MAX_FIRMWARE_VERSION_LENGTH);
        if (problem == null && version != null
                && (version.indexOf('/') >= 0 || version.indexOf('\\') >= 0 || version.contains(".."))) {
            return field + " must not contain '/', '\\' or '..'";
        }
        return problem;
    }

    /** Empty text as absent. */
    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The seed's {@code edport} is a smallint filled from a C uint16: ports above 32767 are stored as
     * the same 16 bits read as signed (65535 -> -1). {@code endpoint_port} holds the true value.
     */
    public static short seedEdport(Integer port) {
        return port == null ? 0 : (short) (int) port;
    }
}
