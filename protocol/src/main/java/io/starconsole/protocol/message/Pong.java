package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;

/**
 * PONG (2): edge -> box answer to PING.
 *
 * @param sequence       the PING's sequence
 * @param flags          bit 0 {@link #COMMANDS_PENDING}, bit 1 {@link #OTA_PENDING}; other bits zero
 * @param edgeTimeMillis the edge's wall clock, milliseconds since 1970 UTC
 */
public record Pong(long sequence, int flags, long edgeTimeMillis) implements Message {

    public static final int COMMANDS_PENDING = 0x01;
    public static final int OTA_PENDING = 0x02;
    private static final int KNOWN_FLAGS = COMMANDS_PENDING | OTA_PENDING;

    public Pong {
        Fields.u32(sequence, "sequence");
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown PONG flags");
        }
    }

    public boolean commandsPending() {
        return (flags & COMMANDS_PENDING) != 0;
    }

    public static Pong decode(ByteReader reader) throws ProtocolException {
        long sequence = reader.u32(); // sequence, u32
        int flags = reader.u8();      // flags, u8
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "reserved PONG flag set");
        }
        return new Pong(sequence, flags, reader.u64()); // edge time, u64 ms
    }

    @Override
    public MessageType type() {
        return MessageType.PONG;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u32(sequence).u8(flags).u64(edgeTimeMillis);
    }
}
