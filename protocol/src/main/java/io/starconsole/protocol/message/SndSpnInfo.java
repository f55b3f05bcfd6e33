package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.net.Inet4Address;
import java.util.Objects;

/** SND_SPN_INFO (7): box -> edge, the box's own tunnel settings changed (urgent update). Answered OK. */
public record SndSpnInfo(Inet4Address spnIp, int prefixLength, int listenPort, int endpointPort, String allowedIps)
        implements Message {

    public SndSpnInfo {
        Objects.requireNonNull(spnIp, "spnIp");
        Fields.range(prefixLength, 0, 32, "prefixLength");
        Fields.range(listenPort, 0, 0xFFFF, "listenPort");
        Fields.range(endpointPort, 0, 0xFFFF, "endpointPort");
        Fields.text(allowedIps, BoxInfo.MAX_ALLOWED_IPS_BYTES, "allowedIps");
    }

    public static SndSpnInfo decode(ByteReader reader) throws ProtocolException {
        Inet4Address ip = Fields.ipv4(reader);                            // SPN IP
        int prefix = Fields.prefix(reader);                               // prefix length
        int listenPort = reader.u16();                                    // listen port
        int endpointPort = reader.u16();                                  // endpoint port
        String allowed = reader.string8(BoxInfo.MAX_ALLOWED_IPS_BYTES);   // allowed IPs
        return new SndSpnInfo(ip, prefix, listenPort, endpointPort, allowed);
    }

    @Override
    public MessageType type() {
        return MessageType.SND_SPN_INFO;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        Fields.ipv4(writer, spnIp);
        writer.u8(prefixLength).u16(listenPort).u16(endpointPort).string8(allowedIps);
    }
}
