package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Objects;

/** NOK (4): the request of type {@code inReplyTo} was refused, with a reason and a short text (at most 200 bytes). */
public record Nok(MessageType inReplyTo, NokReason reason, String text) implements Message {

    public static final int MAX_TEXT_BYTES = 200;

    public Nok {
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        Objects.requireNonNull(reason, "reason");
        Fields.text(text, MAX_TEXT_BYTES, "text");
    }

    public static Nok decode(ByteReader reader) throws ProtocolException {
        MessageType inReplyTo = MessageType.fromCode(reader.u8());                                        // in-reply-to, u8
        NokReason reason = WireCode.byCode(NokReason.values(), reader.u8(), ProtocolException.Reason.INVALID_FIELD); // reason, u8
        return new Nok(inReplyTo, reason, reader.string8(MAX_TEXT_BYTES));                                  // text
    }

    @Override
    public MessageType type() {
        return MessageType.NOK;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u8(inReplyTo.code()).u8(reason.code()).string8(text);
    }
}
