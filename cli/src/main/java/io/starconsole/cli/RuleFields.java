package io.starconsole.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The seed's rule encoding: {@code name|value|name|value...}. */
final class RuleFields {

    private RuleFields() {
    }

    static Map<String, String> pairs(String[] parts, int start, Set<String> known, String what) {
        if ((parts.length - start) % 2 != 0) {
            throw new IllegalArgumentException(what + ": every field name needs a value");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = start; i < parts.length; i += 2) {
            if (!known.contains(parts[i])) {
                throw new IllegalArgumentException(what + ": unknown field '" + parts[i] + "' (known: " + String.join(", ", known) + ")");
            }
            if (parts[i + 1].isEmpty() || fields.put(parts[i], parts[i + 1]) != null) {
                throw new IllegalArgumentException(what + ": field '" + parts[i] + "' is empty or given twice");
            }
        }
        return fields;
    }

    static void endpoint(String text, String what) {
        int colon = text.lastIndexOf(':');
        String port = colon < 0 ? "" : text.substring(colon + 1);
        if (colon <= 0 || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not host:port");
        }
    }
}
