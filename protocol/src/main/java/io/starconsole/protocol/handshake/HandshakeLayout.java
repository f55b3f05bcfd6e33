package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Reconnect;

/** Offsets of the handshake datagrams (docs/protocol.md) and which messages each may carry. */
final class HandshakeLayout {

    static final int SENDER_INDEX = 4;
    static final int INITIATION_EPHEMERAL = 8;
    static final int INITIATION_STATIC = 40;
    static final int ENCRYPTED_STATIC_SIZE = 32 + 16;
    static final int INITIATION_PAYLOAD = 88;
    static final int RESPONSE_RECEIVER_INDEX = 8;
    static final int RESPONSE_EPHEMERAL = 12;
    static final int RESPONSE_PAYLOAD = 44;
    static final int COOKIE_REPLY_NONCE = 8;
    static final int COOKIE_REPLY_COOKIE = 20;

    private HandshakeLayout() {
    }

    static boolean isRequest(Message message) {
        return message instanceof Hello || message instanceof Reconnect;
    }

    static boolean isAnswer(Message message) {
        return message instanceof Ok || message instanceof OkNewIp || message instanceof Nok;
    }

    static void requireRequest(Message message) throws ProtocolException {
        if (!isRequest(message)) {
            throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_MESSAGE, "initiation must carry HELLO or RECONNECT");
        }
    }

    static void requireAnswer(Message message) throws ProtocolException {
        if (!isAnswer(message)) {
            throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_MESSAGE, "response must carry OK, OK_NEWIP or NOK");
        }
    }
}
