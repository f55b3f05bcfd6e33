package io.starconsole.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The seed's 12 user commands with their argument forms (docs/cli.md). Each checks its argument
 * text before anything is sent; the API checks again.
 */
public enum UserCommand {
    CHANGE_SPNBOX_NAME("<new-hostname>", UserCommand::hostname),
    CHANGE_ADMIN_PASSWORD("<new-password>", UserCommand::password),
    REBOOT_SPNBOX("now", UserCommand::now),
    GOTO_FACTORY_DEFAULT_STATE("now", UserCommand::now),
    CHANGE_L3_SPN_IP_ADDRESS("<new-spn-ip>|<subnet-mask>", UserCommand::addressAndMask),
    CHANGE_L3_SPN_LISTEN_PORT("<port>", text -> port(text, "listen port")),
    ADD_L3_SPN_TUNNEL("<pubkey>|allowed-ips|<cidr>[,<cidr>...]|endpoint|<host>:<port>|persistent-keepalive|<n>", UserCommand::peerRule),
    REMOVE_L3_SPN_TUNNEL("<pubkey>[|allowed-ips|...]", UserCommand::peerRule),
    REGENERATE_L3_SPN_KEY("now", UserCommand::now),
    ADD_P2P_SPN_TUNNEL("groupname|<g>|vip|<ip>|lport|<port>|ekey|<key>|server|<host>:<port>", text -> p2pRule(text, false)),
    REMOVE_P2P_SPN_TUNNEL("groupname|<g>[|...]", text -> p2pRule(text, true)),
    FLUSH_USER_CMDS("now", UserCommand::now);

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> PEER_FIELDS = Set.of("allowed-ips", "endpoint", "persistent-keepalive");
    private static final Set<String> P2P_FIELDS = Set.of("groupname", "vip", "lport", "ekey", "server");

    private final String argumentForm;
    private final UnaryOperator<String> check;

    UserCommand(String argumentForm, UnaryOperator<String> check) {
        this.argumentForm = argumentForm;
        this.check = check;
    }

    /** The seed's name in kebab case: {@code reboot-spnbox}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String usage() {
        return cliName() + " <spn-ip> " + argumentForm;
    }

    /** The argument text as it is sent, or an {@link IllegalArgumentException} saying what is wrong. */
    public String checkArguments(String text) {
        return check.apply(text.strip());
    }

    public static UserCommand byCliName(String name) {
        for (UserCommand command : values()) {
            if (command.cliName().equals(name)) {
                return command;
            }
        }
        return null;
    }

    // ---- argument forms --------------------------------------------------------------------------

    private static String now(String text) {
        if (!text.equals("now")) {
            throw new IllegalArgumentException("expected 'now', got '" + text + "'");
        }
        return text;
    }

    private static String hostname(String text) {
        if (!HOSTNAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a host name (letters, digits, '-', at most 63)");
        }
        return text;
    }

    private static String password(String text) {
        if (text.isEmpty() || text.length() > 128) {
            throw new IllegalArgumentException("the new password must be 1..128 characters");
        }
        return text;
    }

    private static String addressAndMask(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected <new-spn-ip>|<subnet-mask>, e.g. 10.1.2.1|255.255.255.0");
        }
        ipv4(parts[0]);
        long mask = ipv4(parts[1]);
        int prefix = Long.bitCount(mask);
        if (mask != ((0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("'" + parts[1] + "' is not a contiguous subnet mask");
        }
        return text;
    }

    /** The address as an unsigned 32-bit number. */
    static long ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        long value = 0;
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    private static String port(String text, String what) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException(what + " '" + text + "' is not 1..65535");
        }
        return text;
    }

    private static String peerRule(String text) {
        String[] parts = text.split("\\|", -1);
        if (!KEY.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException("peer rule: '" + parts[0] + "' is not a base64 WireGuard public key");
        }
        Map<String, String> fields = RuleFields.pairs(parts, 1, PEER_FIELDS, "peer rule");
        String allowed = fields.get("allowed-ips");
        if (allowed != null) {
            for (String cidr : allowed.split(",")) {
                int slash = cidr.indexOf('/');
                if (slash < 0 || !cidr.substring(slash + 1).matches("[0-9]{1,2}") || Integer.parseInt(cidr.substring(slash + 1)) > 32) {
                    throw new IllegalArgumentException("peer rule: '" + cidr + "' is not a CIDR");
                }
                ipv4(cidr.substring(0, slash));
            }
        }
        if (fields.containsKey("endpoint")) {
            RuleFields.endpoint(fields.get("endpoint"), "peer rule");
        }
        if (fields.containsKey("persistent-keepalive") && !fields.get("persistent-keepalive").matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("peer rule: persistent-keepalive must be a number of seconds");
        }
        return text;
    }

    private static String p2pRule(String text, boolean forRemoval) {
        Map<String, String> fields = RuleFields.pairs(text.split("\\|", -1), 0, P2P_FIELDS, "p2p rule");
        String group = fields.get("groupname");
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("p2p rule: groupname must be 1..64 of letters, digits, '_', '.', '-'");
        }
        if (forRemoval) {
            return text;
        }
        for (String name : P2P_FIELDS) {
            if (!fields.containsKey(name)) {
                throw new IllegalArgumentException("p2p rule: '" + name + "' is required");
            }
        }
        ipv4(fields.get("vip"));
        port(fields.get("lport"), "p2p rule: lport");
        if (!KEY.matcher(fields.get("ekey")).matches()) {
            throw new IllegalArgumentException("p2p rule: ekey is not a base64 WireGuard key");
        }
        RuleFields.endpoint(fields.get("server"), "p2p rule");
        return text;
    }
}
