package io.starconsole.agent.backend;

/** Host name checks shared by the backends (RFC 1123 labels; no option-like leading '-'). */
final class Hostnames {

    private Hostnames() {
    }

    static String require(String hostname) {
        String name = hostname == null ? "" : hostname.strip();
        if (name.length() > 63 || !name.matches("[A-Za-z0-9]([A-Za-z0-9\\-]*[A-Za-z0-9])?")) {
            throw new BackendException("'" + name + "' is not a valid host name (letters, digits, '-', at most 63)");
        }
        return name;
    }
}
