package io.starconsole.protocol.codec;

/** The second byte of every JEDI/2 datagram. */
public enum PacketKind {
    HANDSHAKE_INITIATION(1),
    HANDSHAKE_RESPONSE(2),
    COOKIE_REPLY(3),
    TRANSPORT_DATA(4);

    private final int code;

    PacketKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
