package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.net.Inet4Address;
import java.util.Objects;

/**
 * What a box tells the edge about itself in HELLO and RECONNECT: the seed's client fields. The box's
 * public key is its handshake static key and its real address and port are the datagram's source,
 * so neither is repeated here.
 *
 * @param groupName        group, at most 64 bytes UTF-8
 * @param idString         phone, e-mail, nickname or hostname, at most 122 bytes UTF-8
 * @param macAddress       the box's MAC address
 * @param requestedSpnIp   SPN IP the box wants; 0.0.0.0 = any
 * @param prefixLength     SPN network mask as a prefix length, 0..32
 * @param listenPort       WireGuard listen port
 * @param endpointPort     the seed's Edport: the port peers reach the box on
 * @param allowedIps       WireGuard allowed IPs, at most 128 bytes text
 * @param firmwareVersion  running firmware, at most 32 bytes
 * @param enrolmentToken   enrolment token, at most 64 bytes; empty = none
 */
public record BoxInfo(String groupName, String idString, MacAddress macAddress, Inet4Address requestedSpnIp,
        int prefixLength, int listenPort, int endpointPort, String allowedIps, String firmwareVersion,
        String enrolmentToken) {

    public static final int MAX_GROUP_NAME_BYTES = 64;
    public static final int MAX_ID_STRING_BYTES = 122;
    public static final int MAX_ALLOWED_IPS_BYTES = 128;
    public static final int MAX_FIRMWARE_VERSION_BYTES = 32;
    public static final int MAX_ENROLMENT_TOKEN_BYTES = 64;

    public BoxInfo {
        Fields.text(groupName, MAX_GROUP_NAME_BYTES, "groupName");
        Fields.text(idString, MAX_ID_STRING_BYTES, "idString");
        Objects.requireNonNull(macAddress, "macAddress");
        Objects.requireNonNull(requestedSpnIp, "requestedSpnIp");
        Fields.range(prefixLength, 0, 32, "prefixLength");
        Fields.range(listenPort, 0, 0xFFFF, "listenPort");
        Fields.range(endpointPort, 0, 0xFFFF, "endpointPort");
        Fields.text(allowedIps, MAX_ALLOWED_IPS_BYTES, "allowedIps");
        Fields.text(firmwareVersion, MAX_FIRMWARE_VERSION_BYTES, "firmwareVersion");
        Fields.text(enrolmentToken, MAX_ENROLMENT_TOKEN_BYTES, "enrolmentToken");
    }

    /** True when the box asks for any SPN IP (0.0.0.0). */
    public boolean wantsAnyAddress() {
        return requestedSpnIp.equals(Fields.anyAddress());
    }

    public static BoxInfo decode(ByteReader reader) throws ProtocolException {
        String groupName = reader.string8(MAX_GROUP_NAME_BYTES);      // group name
        String idString = reader.string8(MAX_ID_STRING_BYTES);        // id string
        long mac = 0;
        for (int i = 0; i < MacAddress.SIZE_IN_BYTES; i++) {          // MAC address, 6 bytes
            mac = (mac << 8) | reader.u8();
        }
        Inet4Address ip = Fields.ipv4(reader);                        // requested SPN IP
        int prefix = Fields.prefix(reader);                           // prefix length
        int listenPort = reader.u16();                                // listen port
        int endpointPort = reader.u16();                              // endpoint port
        String allowedIps = reader.string8(MAX_ALLOWED_IPS_BYTES);    // allowed IPs
        String firmware = reader.string8(MAX_FIRMWARE_VERSION_BYTES); // firmware version
        String token = reader.string8(MAX_ENROLMENT_TOKEN_BYTES);     // enrolment token
        return new BoxInfo(groupName, idString, new MacAddress(mac), ip, prefix, listenPort, endpointPort,
                allowedIps, firmware, token);
    }

    public void encodeTo(ByteWriter writer) {
        writer.string8(groupName).string8(idString);
        for (int shift = 40; shift >= 0; shift -= 8) {
            writer.u8((int) (macAddress.value() >>> shift));
        }
        Fields.ipv4(writer, requestedSpnIp);
        writer.u8(prefixLength).u16(listenPort).u16(endpointPort)
                .string8(allowedIps).string8(firmwareVersion).string8(enrolmentToken);
    }

    @Override
    public String toString() {
        // The enrolment token is a credential: never printed.
        return "BoxInfo[groupName=" + groupName + ", idString=" + idString + ", mac=" + macAddress
                + ", requestedSpnIp=" + requestedSpnIp.getHostAddress() + "/" + prefixLength
                + ", listenPort=" + listenPort + ", endpointPort=" + endpointPort + ", allowedIps=" + allowedIps
                + ", firmwareVersion=" + firmwareVersion + ", enrolmentToken=" + (enrolmentToken.isEmpty() ? "none" : "***")
                + "]";
    }
}
