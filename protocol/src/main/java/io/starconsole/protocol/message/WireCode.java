package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ProtocolException;

/** An enum constant with a number on the wire. */
public interface WireCode {

    int code();

    /** The constant with {@code code}, or a {@link ProtocolException} with {@code reason}. */
    static <E extends Enum<E> & WireCode> E byCode(E[] values, int code, ProtocolException.Reason reason)
            throws ProtocolException {
        for (E value : values) {
            if (value.code() == code) {
                return value;
            }
        }
        throw new ProtocolException(reason, "unknown code " + code);
    }
}
