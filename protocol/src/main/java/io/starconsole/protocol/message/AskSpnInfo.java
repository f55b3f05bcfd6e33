package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;

/** ASK_SPN_INFO (8): box -> edge, ask page {@code page} (from 0) of the box's peer list. */
public record AskSpnInfo(int page) implements Message {

    public AskSpnInfo {
        Fields.range(page, 0, 0xFFFF, "page");
    }

    public static AskSpnInfo decode(ByteReader reader) throws ProtocolException {
        return new AskSpnInfo(reader.u16()); // page, u16
    }

    @Override
    public MessageType type() {
        return MessageType.ASK_SPN_INFO;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u16(page);
    }
}
