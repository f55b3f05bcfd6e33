package io.starconsole.functions.address;

/**
 * IPv4 addresses as unsigned 32-bit values in a {@code long}, and CIDR blocks. Parsing is strict:
 * four decimal octets 0..255 without leading zeros or signs, so text is never handed to the
 * database that it would read differently.
 */
public final class Ipv4 {

    /** The "any address" a box sends when it asks for no particular SPN IP. */
    public static final String ANY = "0.0.0.0";

    private Ipv4() {
    }

    /** The address, or -1 when the text is not a dotted quad. */
    public static long parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 15) {
            return -1;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return -1;
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return -1;
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static boolean isValid(String text) {
        return parse(text) >= 0;
    }

    public static String format(long address) {
        return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "."
                + (address & 255);
    }

    /** The mask as a dotted quad, e.g. 16 -> 255.255.0.0. */
    public static String maskOf(int prefixLength) {
        return format(prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL);
    }

    /** A CIDR block; {@code network} has no host bits set. */
    public record Cidr(long network, int prefixLength) {

        /** The block, or null when the text is not {@code a.b.c.d/n} with no host bits set. */
        public static Cidr parse(String text) {
            if (text == null) {
                return null;
            }
            int slash = text.indexOf('/');
            if (slash < 0 || slash == text.length() - 1 || text.length() - slash > 3) {
                return null;
            }
            long address = Ipv4.parse(text.substring(0, slash));
            String length = text.substring(slash + 1);
            if (address < 0 || !length.chars().allMatch(Character::isDigit)
                    || (length.length() > 1 && length.charAt(0) == '0')) {
                return null;
            }
            int prefix = Integer.parseInt(length);
            if (prefix > 32) {
                return null;
            }
            Cidr cidr = new Cidr(address & maskBits(prefix), prefix);
            return cidr.network() == address ? cidr : null;
        }

        private static long maskBits(int prefix) {
            return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        }

        public long size() {
            return 1L << (32 - prefixLength);
        }

        public long broadcast() {
            return network + size() - 1;
        }

        public long firstHost() {
            return network + 1;
        }

        public long lastHost() {
            return broadcast() - 1;
        }

        public boolean contains(long address) {
            return address >= network && address <= broadcast();
        }

        /** Inside the block and neither its network nor its broadcast address. */
        public boolean isHost(long address) {
            return address >= firstHost() && address <= lastHost();
        }

        public boolean overlaps(Cidr other) {
            return network <= other.broadcast() && other.network <= broadcast();
        }

        @Override
        public String toString() {
            return format(network) + "/" + prefixLength;
        }
    }
}
