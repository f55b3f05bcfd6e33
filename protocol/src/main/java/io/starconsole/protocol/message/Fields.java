package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Field checks shared by the message records: constructors throw IllegalArgumentException. */
final class Fields {

    private Fields() {
    }

    static String text(String value, int maxBytes, String name) {
        Objects.requireNonNull(value, name);
        int length;
        try {
            length = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value))
                    .remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " is not well-formed Unicode");
        }
        if (length > maxBytes) {
            throw new IllegalArgumentException(name + " longer than " + maxBytes + " bytes");
        }
        return value;
    }

    static int range(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " outside " + min + ".." + max);
        }
        return value;
    }

    static long u32(long value, String name) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " outside 0..2^32-1");
        }
        return value;
    }

    static Inet4Address ipv4(ByteReader reader) throws ProtocolException {
        try {
            return (Inet4Address) InetAddress.getByAddress(reader.bytes(4));
        } catch (UnknownHostException e) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "bad address");
        }
    }

    static void ipv4(ByteWriter writer, Inet4Address address) {
        writer.bytes(address.getAddress());
    }

    static int prefix(ByteReader reader) throws ProtocolException {
        int prefix = reader.u8();
        if (prefix > 32) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "prefix length > 32");
        }
        return prefix;
    }

    /** 0.0.0.0: "any address" in a request. */
    static Inet4Address anyAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
