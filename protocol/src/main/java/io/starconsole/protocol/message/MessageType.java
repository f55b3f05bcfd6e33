package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ProtocolException;

/** JEDI message types. 0..14 are the seed's numbers; never renumber, only append. */
public enum MessageType implements WireCode {
    HELLO(0),
    PING(1),
    PONG(2),
    OK(3),
    NOK(4),
    BYE(5),
    RECONNECT(6),
    SND_SPN_INFO(7),
    ASK_SPN_INFO(8),
    ANS_SPN_INFO(9),
    SND_USER_CMD(10),
    ASK_USER_CMD(11),
    ANS_USER_CMD(12),
    OK_NEWIP(13),
    CANCEL_IP(14),
    /** New in JEDI/2: the box reports the outcome of a user command. */
    COMMAND_RESULT(15),
    /** New in JEDI/2: the edge tells the box it has commands waiting. */
    WAKE_UP(16),
    /** New in JEDI/2: the box reports the progress of a firmware update. */
    OTA_STATUS(17);

    private static final MessageType[] BY_CODE = new MessageType[values().length];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    public static MessageType fromCode(int code) throws ProtocolException {
        if (code < 0 || code >= BY_CODE.length) {
            throw new ProtocolException(ProtocolException.Reason.UNKNOWN_MESSAGE_TYPE, "unknown message type " + code);
        }
        return BY_CODE[code];
    }
}
