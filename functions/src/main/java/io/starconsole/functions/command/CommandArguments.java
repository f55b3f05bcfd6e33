package io.starconsole.functions.command;

import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.box.BoxFields;
import io.starconsole.functions.error.ApiException;
import org.apache.commons.codec.digest.Sha2Crypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The arguments of each command type, in the seed CLI's form (what follows {@code <spn-ip>}),
 * checked strictly. A failure is a 400 naming the field {@code arguments}; the message never
 * quotes a password.
 */
public final class CommandArguments {

    public static final String FIELD = "arguments";
    /** What the box receives must fit a JEDI/2 datagram with room to spare. */
    public static final int MAX_CONTENTS_BYTES = 900;
    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 128;
    public static final int MAX_KEEPALIVE = 65535;

    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");
    private static final Pattern PORT = Pattern.compile("^[1-9]\\d{0,4}$");
    private static final Pattern NUMBER = Pattern.compile("^(0|[1-9]\\d{0,4})$");
    private static final Pattern FIRMWARE = Pattern.compile("^release=([1-9]\\d{0,17})\\|force=([01])$");
    private static final String SALT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int SALT_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CommandArguments() {
    }

    /** A P2P rule taken apart: {@code groupname|g|vip|ip|lport|port|ekey|key|server|host:port}. */
    public record P2pRule(String group, String vip, int localPort, String key, String server) {
        public String format() {
            return "groupname|" + group + "|vip|" + vip + "|lport|" + localPort + "|ekey|" + key + "|server|" + server;
        }
    }

    /** UPDATE_FIRMWARE as stored: {@code release=<id>|force=<0|1>} (expanded for the box when leased). */
    public record Firmware(long releaseId, boolean force) {
        public String format() {
            return "release=" + releaseId + "|force=" + (force ? 1 : 0);
        }
    }

    /** The contents to store (and send to the box) for valid arguments; throws a 400 otherwise. */
    public static String contents(CommandType type, String arguments) {
        if (arguments == null) {
            throw bad("arguments is required for " + type.name());
        }
        String contents = switch (type) {
            case CHANGE_SPNBOX_NAME -> hostname(arguments);
            case CHANGE_ADMIN_PASSWORD -> passwordHash(arguments);
            case REBOOT_SPNBOX, GOTO_FACTORY_DEFAULT_STATE, REGENERATE_L3_SPN_KEY, FLUSH_USER_CMDS -> now(arguments);
            case CHANGE_L3_SPN_IP_ADDRESS -> addressAndMask(arguments).format();
            case CHANGE_L3_SPN_LISTEN_PORT -> Integer.toString(port(arguments, "the listen port"));
            case ADD_L3_SPN_TUNNEL, REMOVE_L3_SPN_TUNNEL -> tunnelRule(arguments);
            case ADD_P2P_SPN_TUNNEL, REMOVE_P2P_SPN_TUNNEL -> p2pRule(arguments).format();
            case UPDATE_FIRMWARE -> firmware(arguments).format();
        };
        if (contents.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENTS_BYTES) {
            throw bad("arguments are longer than " + MAX_CONTENTS_BYTES + " bytes");
        }
        return contents;
    }

    public static Firmware firmware(String text) {
        var matcher = FIRMWARE.matcher(text.trim());
        if (!matcher.matches()) {
            throw bad("UPDATE_FIRMWARE takes release=<release id>|force=<0|1>");
        }
        return new Firmware(Long.parseLong(matcher.group(1)), "1".equals(matcher.group(2)));
    }

    static String hostname(String text) {
        if (text.isEmpty() || text.length() > 253) {
            throw bad("the hostname must be 1 to 253 characters (RFC 1123)");
        }
        for (String label : text.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw bad("the hostname must be dot-separated labels of 1 to 63 letters, digits or '-',"
                        + " not starting or ending with '-' (RFC 1123)");
            }
        }
        return text;
    }

    static String passwordHash(String password) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
            throw bad("the password must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            throw bad("the password must not contain control characters");
        }
        StringBuilder salt = new StringBuilder("$6$");
        for (int i = 0; i < SALT_LENGTH; i++) {
            salt.append(SALT_ALPHABET.charAt(RANDOM.nextInt(SALT_ALPHABET.length())));
        }
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), salt.toString());
    }

    static String now(String text) {
        if (!"now".equals(text)) {
            throw bad("the only argument of this command is 'now'");
        }
        return text;
    }

    /** An SPN IP and its dotted mask, {@code 10.99.0.7|255.255.0.0}. */
    public record AddressAndMask(long address, int prefixLength) {
        public String addressText() {
            return Ipv4.format(address);
        }

        public String format() {
            return Ipv4.format(address) + "|" + Ipv4.maskOf(prefixLength);
        }
    }

    public static AddressAndMask addressAndMask(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 2) {
            throw bad("the arguments must be '<new-spn-ip>|<subnet-mask>', e.g. 10.99.0.7|255.255.0.0");
        }
        long address = Ipv4.parse(parts[0]);
        if (address < 0) {
            throw bad("the new SPN IP must be a dotted quad such as 10.99.0.7");
        }
        int prefix = prefixOfMask(parts[1]);
        if (prefix < 8 || prefix > 30) {
            throw bad("the subnet mask must be a contiguous dotted mask from 255.0.0.0 to 255.255.255.252");
        }
        Ipv4.Cidr network = new Ipv4.Cidr(address & maskBits(prefix), prefix);
        if (!network.isHost(address)) {
            throw bad("the new SPN IP must be a host of its network, not its network or broadcast address");
        }
        return new AddressAndMask(address, prefix);
    }

    private static long maskBits(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /** The prefix length of a contiguous dotted mask, or -1. */
    static int prefixOfMask(String mask) {
        long bits = Ipv4.parse(mask);
        if (bits < 0) {
            return -1;
        }
        int prefix = Long.numberOfLeadingZeros(~bits & 0xFFFFFFFFL) - 32;
        return maskBits(prefix) == bits ? prefix : -1;
    }

    static int port(String text, String what) {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
            throw bad(what + " must be a number from 1 to 65535");
        }
        return Integer.parseInt(text);
    }

    /** {@code <pubkey>|allowed-ips|<cidr>[,<cidr>...]|endpoint|<host>:<port>|persistent-keepalive|<n>}. */
    static String tunnelRule(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 7 || !"allowed-ips".equals(parts[1]) || !"endpoint".equals(parts[3])
                || !"persistent-keepalive".equals(parts[5])) {
            throw bad("the tunnel rule must be '<pubkey>|allowed-ips|<cidr>[,<cidr>...]|endpoint|<host>:<port>"
                    + "|persistent-keepalive|<n>'");
        }
        key(parts[0], "the tunnel's public key");
        String[] cidrs = parts[2].split(",", -1);
        for (String cidr : cidrs) {
            if (Ipv4.Cidr.parse(cidr) == null) {
                throw bad("allowed-ips must be comma-separated IPv4 CIDRs without host bits, e.g. 10.1.2.1/32");
            }
        }
        endpoint(parts[4], "endpoint");
        if (!NUMBER.matcher(parts[6]).matches() || Integer.parseInt(parts[6]) > MAX_KEEPALIVE) {
            throw bad("persistent-keepalive must be a number from 0 to " + MAX_KEEPALIVE);
        }
        return text;
    }

    public static P2pRule p2pRule(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 10 || !"groupname".equals(parts[0]) || !"vip".equals(parts[2]) || !"lport".equals(parts[4])
                || !"ekey".equals(parts[6]) || !"server".equals(parts[8])) {
            throw bad("the P2P rule must be 'groupname|<g>|vip|<ip>|lport|<port>|ekey|<key>|server|<host>:<port>'");
        }
        if (parts[1].isEmpty() || BoxFields.groupProblem(parts[1]) != null) {
            throw bad("groupname must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!Ipv4.isValid(parts[3])) {
            throw bad("vip must be a dotted quad such as 172.16.1.1");
        }
        int localPort = port(parts[5], "lport");
        key(parts[7], "ekey");
        endpoint(parts[9], "server");
        return new P2pRule(parts[1], parts[3], localPort, parts[7], parts[9]);
    }

    static void key(String key, String what) {
        if (BoxFields.publicKeyProblem(key) != null) {
            throw bad(what + " must be a WireGuard key: 44 characters of base64, 32 bytes");
        }
    }

    /** {@code <host>:<port>} with a hostname or an IPv4 address. */
    static void endpoint(String text, String what) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw bad(what + " must be <host>:<port>");
        }
        String host = text.substring(0, colon);
        if (!Ipv4.isValid(host)) {
            if (host.matches("^[\\d.]+$")) {
                throw bad(what + " host must be a valid IPv4 address or hostname");
            }
            try {
                hostname(host);
            } catch (ApiException e) {
                throw bad(what + " host must be a valid IPv4 address or hostname");
            }
        }
        port(text.substring(colon + 1), what + " port");
    }

    private static ApiException bad(String message) {
        return ApiException.badField(FIELD, message);
    }
}
