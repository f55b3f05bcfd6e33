package io.starconsole.protocol.message;

import java.util.Locale;

/** A 48-bit MAC address; on the wire, 6 bytes. */
public record MacAddress(long value) {

    public static final int SIZE_IN_BYTES = 6;

    public MacAddress {
        if (value < 0 || value > 0xFFFF_FFFF_FFFFL) {
            throw new IllegalArgumentException("MAC address outside 48 bits");
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != SIZE_IN_BYTES) {
            throw new IllegalArgumentException("MAC address must have six octets");
        }
        long value = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("MAC address octet must be two hex digits");
            }
            value = (value << 8) | Integer.parseInt(part, 16);
        }
        return new MacAddress(value);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (out.length() > 0) {
                out.append(':');
            }
            out.append(String.format(Locale.ROOT, "%02x", (value >>> shift) & 0xFF));
        }
        return out.toString();
    }
}
