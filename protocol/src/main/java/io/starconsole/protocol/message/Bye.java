package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;

/** BYE (5): box -> edge deregistration on shutdown. Empty body; answered OK. */
public record Bye() implements Message {

    public static Bye decode(ByteReader reader) {
        return new Bye();
    }

    @Override
    public MessageType type() {
        return MessageType.BYE;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        // no body
    }
}
