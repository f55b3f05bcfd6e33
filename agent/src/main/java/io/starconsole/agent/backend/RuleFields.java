package io.starconsole.agent.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The seed's rule strings: {@code name|value|name|value...} after an optional leading value. */
final class RuleFields {

    private RuleFields() {
    }

    /** Reads name/value pairs from {@code parts[start..]}; names must be in {@code known}, each at most once. */
    static Map<String, String> pairs(String[] parts, int start, Set<String> known, String what) {
        if ((parts.length - start) % 2 != 0) {
            throw new IllegalArgumentException(what + ": every field name needs a value");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = start; i < parts.length; i += 2) {
            String name = parts[i].strip();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(what + ": unknown field '" + name + "'");
            }
            if (fields.put(name, parts[i + 1].strip()) != null) {
                throw new IllegalArgumentException(what + ": field '" + name + "' given twice");
            }
        }
        return fields;
    }

    /** Splits on '|'; a leading '#' (the seed's "merge" marker) is dropped. */
    static String[] split(String rule) {
        String text = rule.strip();
        if (text.startsWith("#")) {
            text = text.substring(1);
        }
        return text.split("\\|", -1);
    }

    static String required(Map<String, String> fields, String name, String what) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + ": '" + name + "' is required");
        }
        return value;
    }

    static int port(String text, String what) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 0xFFFF) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a port");
        }
    }

    /** host:port with a port 1..65535 and a host of letters, digits, '.', '-' or ':' (IPv6 in brackets). */
    static String endpoint(String text, String what) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !text.substring(0, colon).matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not host:port");
        }
        port(text.substring(colon + 1), what);
        return text;
    }

    static String key(String text, String what) {
        try {
            return io.starconsole.protocol.crypto.Key.fromBase64(text).toBase64();
        } catch (io.starconsole.protocol.crypto.KeyFormatException e) {
            throw new IllegalArgumentException(what + ": not a base64 WireGuard key");
        }
    }
}
