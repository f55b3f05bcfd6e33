package io.starconsole.agent.ota;

import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The contents of UPDATE_FIRMWARE (112) as the console expands them at lease time
 * (docs/ota.md, section 6): {@code release=<id>|model=<m>|version=<v>|force=<0|1>|key=<base64>|base=<url>}.
 * The release key is a secret: it is kept in memory only, never in {@link #toString()}, never on disk.
 */
public final class UpdateRequest {

    static final int KEY_SIZE_IN_BYTES = 32;
    private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern VERSION = Pattern.compile("[0-9][0-9A-Za-z.+-]{0,31}");

    private final String releaseId;
    private final String model;
    private final String version;
    private final boolean force;
    private final byte[] key;
    private final URI base;

    private UpdateRequest(String releaseId, String model, String version, boolean force, byte[] key, URI base) {
        this.releaseId = releaseId;
        this.model = model;
        this.version = version;
        this.force = force;
        this.key = key;
        this.base = base;
    }

    /** @throws IllegalArgumentException naming the field at fault (never echoing the key) */
    public static UpdateRequest parse(String contents) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : contents.strip().split("\\|")) {
            int equals = part.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("update contents: expected name=value fields separated by '|'");
            }
            fields.put(part.substring(0, equals), part.substring(equals + 1));
        }
        String releaseId = require(fields, "release", RELEASE);
        String model = require(fields, "model", MODEL);
        String version = require(fields, "version", VERSION);
        String force = fields.getOrDefault("force", "0");
        if (!force.equals("0") && !force.equals("1")) {
            throw new IllegalArgumentException("update contents: force must be 0 or 1");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(fields.getOrDefault("key", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("update contents: key is not base64");
        }
        if (key.length != KEY_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("update contents: key must be " + KEY_SIZE_IN_BYTES + " bytes");
        }
        String base = fields.getOrDefault("base", "");
        URI uri;
        try {
            uri = URI.create(base.endsWith("/") ? base : base + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("update contents: base is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("update contents: base must be an http(s) URL");
        }
        return new UpdateRequest(releaseId, model, version, force.equals("1"), key, uri);
    }

    private static String require(Map<String, String> fields, String name, Pattern pattern) {
        String value = fields.get(name);
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("update contents: " + name + " is missing or malformed");
        }
        return value;
    }

    public String releaseId() {
        return releaseId;
    }

    public String model() {
        return model;
    }

    public String version() {
        return version;
    }

    public boolean force() {
        return force;
    }

    /** A copy of the release key; the caller wipes it after use. */
    byte[] key() {
        return key.clone();
    }

    /** {@code <base>/<name>}. */
    URI resource(String name) {
        return base.resolve(name);
    }

    /** Overwrites the key in memory. */
    void wipe() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "release " + releaseId + " (" + model + " " + version + (force ? ", forced" : "") + ")";
    }
}
