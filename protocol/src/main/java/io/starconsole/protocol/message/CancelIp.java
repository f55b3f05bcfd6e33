package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.net.Inet4Address;
import java.util.Objects;

/** CANCEL_IP (14): box -> edge, the box gives its SPN IP lease back. Answered OK or NOK. */
public record CancelIp(Inet4Address spnIp) implements Message {

    public CancelIp {
        Objects.requireNonNull(spnIp, "spnIp");
    }

    public static CancelIp decode(ByteReader reader) throws ProtocolException {
        return new CancelIp(Fields.ipv4(reader)); // SPN IP, 4 bytes
    }

    @Override
    public MessageType type() {
        return MessageType.CANCEL_IP;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        Fields.ipv4(writer, spnIp);
    }
}
