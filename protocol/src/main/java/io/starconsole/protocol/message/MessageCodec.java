package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;

/** Encodes any message as its type byte followed by its body, and decodes it back. */
public final class MessageCodec {

    /** The largest encoded message: 1200 minus the 16-byte transport header and the 16-byte tag. */
    public static final int MAX_MESSAGE_SIZE_IN_BYTES = 1200 - 16 - 16;

    private MessageCodec() {
    }

    public static byte[] encode(Message message) {
        ByteWriter writer = new ByteWriter(MAX_MESSAGE_SIZE_IN_BYTES);
        encode(message, writer);
        return writer.toByteArray();
    }

    public static void encode(Message message, ByteWriter writer) {
        writer.u8(message.type().code());
        message.encodeTo(writer);
    }

    /** Decodes exactly one message filling {@code bytes}. */
    public static Message decode(byte[] bytes) throws ProtocolException {
        return decode(ByteReader.of(bytes));
    }

    /** Decodes one message that must use every remaining byte of {@code reader}. */
    public static Message decode(ByteReader reader) throws ProtocolException {
        if (reader.remaining() > MAX_MESSAGE_SIZE_IN_BYTES) {
            throw new ProtocolException(ProtocolException.Reason.BAD_LENGTH, "message too long");
        }
        MessageType type = MessageType.fromCode(reader.u8());
        Message message;
        try {
            message = body(type, reader);
        } catch (IllegalArgumentException e) {
            // A record refused a value its decoder let through: still the library's own error.
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "invalid field");
        }
        reader.requireEnd();
        return message;
    }

    private static Message body(MessageType type, ByteReader reader) throws ProtocolException {
        return switch (type) {
            case HELLO -> Hello.decode(reader);
            case PING -> Ping.decode(reader);
            case PONG -> Pong.decode(reader);
            case OK -> Ok.decode(reader);
            case NOK -> Nok.decode(reader);
            case BYE -> Bye.decode(reader);
            case RECONNECT -> Reconnect.decode(reader);
            case SND_SPN_INFO -> SndSpnInfo.decode(reader);
            case ASK_SPN_INFO -> AskSpnInfo.decode(reader);
            case ANS_SPN_INFO -> AnsSpnInfo.decode(reader);
            case SND_USER_CMD -> SndUserCmd.decode(reader);
            case ASK_USER_CMD -> AskUserCmd.decode(reader);
            case ANS_USER_CMD -> AnsUserCmd.decode(reader);
            case OK_NEWIP -> OkNewIp.decode(reader);
            case CANCEL_IP -> CancelIp.decode(reader);
            case COMMAND_RESULT -> CommandResult.decode(reader);
            case WAKE_UP -> WakeUp.decode(reader);
            case OTA_STATUS -> OtaStatus.decode(reader);
        };
    }
}
