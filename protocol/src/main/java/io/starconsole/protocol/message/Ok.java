package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Objects;

/** OK (3): the request of type {@code inReplyTo} succeeded (HELLO/RECONNECT keeping the requested IP, BYE, ...). */
public record Ok(MessageType inReplyTo) implements Message {

    public Ok {
        Objects.requireNonNull(inReplyTo, "inReplyTo");
    }

    public static Ok decode(ByteReader reader) throws ProtocolException {
        return new Ok(MessageType.fromCode(reader.u8())); // in-reply-to type, u8
    }

    @Override
    public MessageType type() {
        return MessageType.OK;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u8(inReplyTo.code());
    }
}
