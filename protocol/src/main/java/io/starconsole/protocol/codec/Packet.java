package io.starconsole.protocol.codec;

import io.starconsole.protocol.crypto.JediVersion;

/**
 * The outer framing of a JEDI datagram: version byte, packet kind byte, two reserved zero bytes,
 * then a kind-specific layout (see docs/protocol.md). {@link #kindOf} checks version, kind, reserved
 * bytes and length before any cryptography.
 */
public final class Packet {

    public static final int MAX_DATAGRAM_SIZE_IN_BYTES = 1200;
    public static final int MAC_SIZE_IN_BYTES = 16;
    /** version, kind, reserved(2), sender index, ephemeral(32), encrypted static(48), payload(12 + 1 + 16 at least), mac1, mac2. */
    public static final int MIN_INITIATION_SIZE_IN_BYTES = 8 + 32 + 48 + (12 + 1 + 16) + 2 * MAC_SIZE_IN_BYTES;
    /** version, kind, reserved(2), sender index, receiver index, ephemeral(32), payload(1 + 16 at least), mac1, mac2. */
    public static final int MIN_RESPONSE_SIZE_IN_BYTES = 12 + 32 + (1 + 16) + 2 * MAC_SIZE_IN_BYTES;
    /** version, kind, reserved(2), receiver index, nonce(12), encrypted cookie(16 + 16). */
    public static final int COOKIE_REPLY_SIZE_IN_BYTES = 8 + 12 + 32;
    /** version, kind, reserved(2), receiver index, counter(8). */
    public static final int TRANSPORT_HEADER_SIZE_IN_BYTES = 16;
    public static final int MIN_TRANSPORT_SIZE_IN_BYTES = TRANSPORT_HEADER_SIZE_IN_BYTES + 1 + 16;

    private static final PacketKind[] KINDS = PacketKind.values();

    private Packet() {
    }

    /** The kind of {@code datagram}, after checking its version, kind, reserved bytes and length. */
    public static PacketKind kindOf(byte[] datagram) throws ProtocolException {
        if (datagram.length < 4) {
            throw new ProtocolException(ProtocolException.Reason.TRUNCATED, "shorter than a header");
        }
        if (JediVersion.ofWireByte(datagram[0] & 0xFF) == null) {
            throw new ProtocolException(ProtocolException.Reason.UNSUPPORTED_VERSION, "version " + (datagram[0] & 0xFF));
        }
        int code = datagram[1] & 0xFF;
        if (code < 1 || code > KINDS.length) {
            throw new ProtocolException(ProtocolException.Reason.UNKNOWN_PACKET_KIND, "packet kind " + code);
        }
        if (datagram[2] != 0 || datagram[3] != 0) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "reserved bytes not zero");
        }
        PacketKind kind = KINDS[code - 1];
        if (!lengthFits(kind, datagram.length)) {
            throw new ProtocolException(ProtocolException.Reason.BAD_LENGTH, kind + " of " + datagram.length + " bytes");
        }
        return kind;
    }

    /** Checks {@code datagram} as {@link #kindOf} does and that it is of {@code expected} kind. */
    public static void require(byte[] datagram, PacketKind expected) throws ProtocolException {
        if (kindOf(datagram) != expected) {
            throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_MESSAGE, "expected " + expected);
        }
    }

    /** The version of a datagram {@link #kindOf} accepted. */
    public static JediVersion versionOf(byte[] datagram) {
        return JediVersion.ofWireByte(datagram[0] & 0xFF);
    }

    /** Writes version, kind and the reserved bytes at the start of {@code datagram}. */
    public static void writeHeader(byte[] datagram, JediVersion version, PacketKind kind) {
        datagram[0] = (byte) version.wireByte();
        datagram[1] = (byte) kind.code();
        datagram[2] = 0;
        datagram[3] = 0;
    }

    public static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }

    public static void writeInt(byte[] bytes, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >>> (24 - 8 * i));
        }
    }

    public static long readLong(byte[] bytes, int offset) {
        return (long) readInt(bytes, offset) << 32 | (readInt(bytes, offset + 4) & 0xFFFF_FFFFL);
    }

    public static void writeLong(byte[] bytes, int offset, long value) {
        writeInt(bytes, offset, (int) (value >>> 32));
        writeInt(bytes, offset + 4, (int) value);
    }

    private static boolean lengthFits(PacketKind kind, int length) {
        if (length > MAX_DATAGRAM_SIZE_IN_BYTES) {
            return false;
        }
        return switch (kind) {
            case HANDSHAKE_INITIATION -> length >= MIN_INITIATION_SIZE_IN_BYTES;
            case HANDSHAKE_RESPONSE -> length >= MIN_RESPONSE_SIZE_IN_BYTES;
            case COOKIE_REPLY -> length == COOKIE_REPLY_SIZE_IN_BYTES;
            case TRANSPORT_DATA -> length >= MIN_TRANSPORT_SIZE_IN_BYTES;
        };
    }
}
