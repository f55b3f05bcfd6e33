package io.starconsole.agent.backend;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An SPN address with its prefix length, written {@code 10.1.2.3/24}. */
public record SpnAddress(Inet4Address ip, int prefixLength) {

    public SpnAddress {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32");
        }
    }

    /** Parses {@code a.b.c.d/n}. */
    public static SpnAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("SPN address must be a.b.c.d/prefix");
        }
        try {
            return new SpnAddress(ipv4(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SPN address prefix must be a number");
        }
    }

    /** Parses a dotted IPv4 literal (never a host name: no lookup). */
    public static Inet4Address ipv4(String text) {
        String[] parts = text.strip().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet;
            try {
                octet = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            if (octet < 0 || octet > 255 || parts[i].isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            bytes[i] = (byte) octet;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The prefix length of a dotted netmask such as 255.255.255.0. */
    public static int prefixOfMask(String mask) {
        byte[] bytes = ipv4(mask).getAddress();
        int bits = ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
        int prefix = Integer.bitCount(bits);
        if (bits != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
            throw new IllegalArgumentException("'" + mask + "' is not a contiguous netmask");
        }
        return prefix;
    }

    @Override
    public String toString() {
        return ip.getHostAddress() + "/" + prefixLength;
    }
}
