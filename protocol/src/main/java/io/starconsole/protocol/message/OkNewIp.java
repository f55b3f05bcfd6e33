package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.net.Inet4Address;
import java.util.Objects;

/** OK_NEWIP (13): registration accepted with a newly assigned SPN IP and prefix length. */
public record OkNewIp(Inet4Address spnIp, int prefixLength) implements Message {

    public OkNewIp {
        Objects.requireNonNull(spnIp, "spnIp");
        Fields.range(prefixLength, 0, 32, "prefixLength");
    }

    public static OkNewIp decode(ByteReader reader) throws ProtocolException {
        Inet4Address ip = Fields.ipv4(reader);      // SPN IP, 4 bytes
        return new OkNewIp(ip, Fields.prefix(reader)); // prefix length, u8
    }

    @Override
    public MessageType type() {
        return MessageType.OK_NEWIP;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        Fields.ipv4(writer, spnIp);
        writer.u8(prefixLength);
    }
}
