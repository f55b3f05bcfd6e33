package io.starconsole.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options of a benchmark's command line, with defaults. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double decimal(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The value's words, separated by white space (several JVM options in one argument); none when absent. */
    List<String> words(String name) {
        String value = values.getOrDefault(name, "").trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }
}
