package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.Key;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One peer in ANS_SPN_INFO: what a box needs to build a tunnel to it. */
public record PeerEntry(Key publicKey, Inet4Address spnIp, int prefixLength, String allowedIps, String endpointHost,
        int endpointPort, String groupName) {

    public static final int MAX_ENDPOINT_HOST_BYTES = 64;

    public PeerEntry {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(spnIp, "spnIp");
        Fields.range(prefixLength, 0, 32, "prefixLength");
        Fields.text(allowedIps, BoxInfo.MAX_ALLOWED_IPS_BYTES, "allowedIps");
        Fields.text(endpointHost, MAX_ENDPOINT_HOST_BYTES, "endpointHost");
        Fields.range(endpointPort, 0, 0xFFFF, "endpointPort");
        Fields.text(groupName, BoxInfo.MAX_GROUP_NAME_BYTES, "groupName");
    }

    /** Bytes this entry takes on the wire. */
    public int encodedSize() {
        return Key.SIZE_IN_BYTES + 4 + 1 + 1 + utf8(allowedIps) + 1 + utf8(endpointHost) + 2 + 1 + utf8(groupName);
    }

    public static PeerEntry decode(ByteReader reader) throws ProtocolException {
        Key key = Key.copyOf(reader.bytes(Key.SIZE_IN_BYTES));             // public key, 32 bytes
        Inet4Address ip = Fields.ipv4(reader);                             // SPN IP
        int prefix = Fields.prefix(reader);                                // prefix length
        String allowed = reader.string8(BoxInfo.MAX_ALLOWED_IPS_BYTES);    // allowed IPs
        String host = reader.string8(MAX_ENDPOINT_HOST_BYTES);             // endpoint host
        int port = reader.u16();                                           // endpoint port
        String group = reader.string8(BoxInfo.MAX_GROUP_NAME_BYTES);       // group name
        return new PeerEntry(key, ip, prefix, allowed, host, port, group);
    }

    public void encodeTo(ByteWriter writer) {
        writer.bytes(publicKey.getBytes());
        Fields.ipv4(writer, spnIp);
        writer.u8(prefixLength).string8(allowedIps).string8(endpointHost).u16(endpointPort).string8(groupName);
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
