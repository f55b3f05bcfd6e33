package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Objects;

/** RECONNECT (6): re-key or re-register keeping the SPN IP; travels only inside a handshake initiation. */
public record Reconnect(BoxInfo info) implements Message {

    public Reconnect {
        Objects.requireNonNull(info, "info");
    }

    public static Reconnect decode(ByteReader reader) throws ProtocolException {
        return new Reconnect(BoxInfo.decode(reader));
    }

    @Override
    public MessageType type() {
        return MessageType.RECONNECT;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        info.encodeTo(writer);
    }
}
