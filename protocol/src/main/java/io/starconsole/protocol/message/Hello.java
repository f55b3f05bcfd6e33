package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Objects;

/** HELLO (0): registration; travels only inside a handshake initiation. */
public record Hello(BoxInfo info) implements Message {

    public Hello {
        Objects.requireNonNull(info, "info");
    }

    public static Hello decode(ByteReader reader) throws ProtocolException {
        return new Hello(BoxInfo.decode(reader));
    }

    @Override
    public MessageType type() {
        return MessageType.HELLO;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        info.encodeTo(writer);
    }
}
