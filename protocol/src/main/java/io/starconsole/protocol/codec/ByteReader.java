package io.starconsole.protocol.codec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads big-endian fields from a datagram. Every failure is a {@link ProtocolException}; a length
 * prefix is checked against the bytes left before anything is allocated, so decoding never
 * allocates more than the input's size.
 */
public final class ByteReader {

    private final ByteBuffer buffer;

    private ByteReader(ByteBuffer buffer) {
        this.buffer = buffer.order(ByteOrder.BIG_ENDIAN);
    }

    public static ByteReader of(byte[] bytes) {
        return new ByteReader(ByteBuffer.wrap(bytes));
    }

    public static ByteReader of(byte[] bytes, int offset, int length) {
        return new ByteReader(ByteBuffer.wrap(bytes, offset, length).slice());
    }

    public int remaining() {
        return buffer.remaining();
    }

    public int u8() throws ProtocolException {
        try {
            return buffer.get() & 0xFF;
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public int u16() throws ProtocolException {
        try {
            return buffer.getShort() & 0xFFFF;
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public long u32() throws ProtocolException {
        try {
            return buffer.getInt() & 0xFFFF_FFFFL;
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    /** An unsigned 64-bit field returned in a Java long (two's complement above 2^63 - 1). */
    public long u64() throws ProtocolException {
        try {
            return buffer.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    public byte[] bytes(int length) throws ProtocolException {
        if (length < 0 || length > buffer.remaining()) {
            throw truncated();
        }
        byte[] out = new byte[length];
        buffer.get(out);
        return out;
    }

    /** A UTF-8 string with a one-byte length prefix, at most {@code maxBytes} bytes. */
    public String string8(int maxBytes) throws ProtocolException {
        return utf8(u8(), maxBytes);
    }

    /** A UTF-8 string with a two-byte length prefix, at most {@code maxBytes} bytes. */
    public String string16(int maxBytes) throws ProtocolException {
        return utf8(u16(), maxBytes);
    }

    /** Bytes with a two-byte length prefix, at most {@code maxBytes}. */
    public byte[] bytes16(int maxBytes) throws ProtocolException {
        int length = u16();
        if (length > maxBytes) {
            throw new ProtocolException(ProtocolException.Reason.FIELD_TOO_LONG, "field too long");
        }
        return bytes(length);
    }

    public void requireEnd() throws ProtocolException {
        if (buffer.hasRemaining()) {
            throw new ProtocolException(ProtocolException.Reason.TRAILING_BYTES, "trailing bytes");
        }
    }

    private String utf8(int length, int maxBytes) throws ProtocolException {
        if (length > maxBytes) {
            throw new ProtocolException(ProtocolException.Reason.FIELD_TOO_LONG, "string too long");
        }
        if (length > buffer.remaining()) {
            throw truncated();
        }
        ByteBuffer slice = buffer.slice().limit(length);
        buffer.position(buffer.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "invalid UTF-8");
        }
    }

    private static ProtocolException truncated() {
        return new ProtocolException(ProtocolException.Reason.TRUNCATED, "truncated");
    }
}
