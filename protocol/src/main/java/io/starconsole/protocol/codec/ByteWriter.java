package io.starconsole.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes big-endian fields into a bounded buffer. Messages validate their fields when they are
 * constructed, so writing a valid message never overflows; overflowing is a programming error and
 * raises {@link IllegalStateException}.
 */
public final class ByteWriter {

    private final byte[] buffer;
    private int position;

    public ByteWriter(int capacity) {
        this.buffer = new byte[capacity];
    }

    public int position() {
        return position;
    }

    public ByteWriter u8(int value) {
        ensure(1);
        buffer[position++] = (byte) value;
        return this;
    }

    public ByteWriter u16(int value) {
        ensure(2);
        buffer[position++] = (byte) (value >>> 8);
        buffer[position++] = (byte) value;
        return this;
    }

    public ByteWriter u32(long value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[position++] = (byte) (value >>> shift);
        }
        return this;
    }

    public ByteWriter u64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[position++] = (byte) (value >>> shift);
        }
        return this;
    }

    public ByteWriter bytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, position, value.length);
        position += value.length;
        return this;
    }

    public ByteWriter string8(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFF) {
            throw new IllegalArgumentException("string longer than 255 bytes");
        }
        return u8(utf8.length).bytes(utf8);
    }

    public ByteWriter string16(String value) {
        return bytes16(value.getBytes(StandardCharsets.UTF_8));
    }

    public ByteWriter bytes16(byte[] value) {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("field longer than 65535 bytes");
        }
        return u16(value.length).bytes(value);
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    /** The internal buffer (valid up to {@link #position()}); for callers that copy it at once. */
    public byte[] array() {
        return buffer;
    }

    public void reset() {
        position = 0;
    }

    private void ensure(int length) {
        if (buffer.length - position < length) {
            throw new IllegalStateException("encoding exceeds " + buffer.length + " bytes");
        }
    }
}
