package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;

/** PING (1): box -> edge heartbeat, every 5 s. {@code sequence} is echoed in PONG. */
public record Ping(long sequence) implements Message {

    public Ping {
        Fields.u32(sequence, "sequence");
    }

    public static Ping decode(ByteReader reader) throws ProtocolException {
        return new Ping(reader.u32()); // sequence, u32
    }

    @Override
    public MessageType type() {
        return MessageType.PING;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u32(sequence);
    }
}
