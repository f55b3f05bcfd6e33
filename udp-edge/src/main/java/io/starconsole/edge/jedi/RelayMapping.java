package io.starconsole.edge.jedi;

import io.starconsole.edge.relay.RelayModels;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyFormatException;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import io.starconsole.protocol.message.WireCode;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.PeerEntry;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Between JEDI/2 messages and the JSON of the functions' internal API. */
final class RelayMapping {

    private RelayMapping() {
    }

    static RelayModels.RegisterRequest register(String boxKey, String edgeId, InetSocketAddress source, boolean reconnect,
                                                BoxInfo info) {
        String requested = info.requestedSpnIp() == null ? null : info.requestedSpnIp().getHostAddress();
        return new RelayModels.RegisterRequest(boxKey, edgeId, source.getAddress().getHostAddress(), source.getPort(), reconnect,
                new RelayModels.Hello(info.groupName(), info.idString(),
                        info.macAddress() == null ? null : info.macAddress().toString(), requested,
                        info.prefixLength(), info.listenPort(), info.endpointPort(), info.allowedIps(),
                        info.firmwareVersion(), info.enrolmentToken().isEmpty() ? null : info.enrolmentToken()));
    }

    /** The registry's decision as the box's answer: OK, OK_NEWIP or NOK. */
    static Message answer(MessageType request, RelayModels.RegisterResult result) {
        if (result == null || result.outcome() == null) {
            return tryAgain(request);
        }
        switch (result.outcome()) {
            case "OK":
                return new Ok(request);
            case "OK_NEWIP":
                Inet4Address address = ipv4(result.spnIp());
                Integer prefix = prefixLength(result.mask());
                return address == null || prefix == null ? tryAgain(request) : new OkNewIp(address, prefix);
            default:
                return new Nok(request, nokReason(result.nokReason()), clip(result.message()));
        }
    }

    /**
     * A leased command as ANS_USER_CMD. A command the wire cannot carry (unknown type, contents too
     * long) is answered as none: the registry will see no acknowledgement and fail it after its
     * attempts, which is what it is.
     */
    static Message command(RelayModels.Lease lease) {
        RelayModels.LeasedCommand c = lease.command();
        if (c == null) {
            return AnsUserCmd.none();
        }
        try {
            UserCommandType type = WireCode.byCode(UserCommandType.values(), c.type(),
                    ProtocolException.Reason.INVALID_FIELD);
            byte[] contents = c.contents() == null ? new byte[0] : c.contents().getBytes(StandardCharsets.UTF_8);
            return AnsUserCmd.of(new UserCommand(c.commandId(), type, c.priority(),
                    c.target() == null ? "" : c.target(), contents), lease.morePending());
        } catch (IllegalArgumentException | ProtocolException unusable) {
            return AnsUserCmd.none();
        }
    }

    /** The box's result as the registry's state: rolled back is a failure whose text says so. */
    static String resultState(CommandResult result) {
        if (result.success()) {
            return "succeeded";
        }
        return result.message() != null && result.message().startsWith(CommandResult.ROLLED_BACK_PREFIX)
                ? "rolled_back" : "failed";
    }

    static Nok tryAgain(MessageType request) {
        return new Nok(request, NokReason.TRY_AGAIN, "the control plane is unavailable; try again shortly");
    }

    private static NokReason nokReason(String name) {
        try {
            return name == null ? NokReason.DENIED : NokReason.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return NokReason.DENIED;
        }
    }

    private static String clip(String text) {
        if (text == null) {
            return "";
        }
        // Nok text is at most 200 bytes of UTF-8; registry messages are short ASCII, clip to be sure.
        return text.length() > 180 ? text.substring(0, 180) : text;
    }

    /** A mask given as a prefix length ("16") or dotted ("255.255.0.0"). */
    static Integer prefixLength(String mask) {
        if (mask == null || mask.isBlank()) {
            return null;
        }
        if (mask.chars().allMatch(Character::isDigit)) {
            int prefix = Integer.parseInt(mask);
            return prefix <= 32 ? prefix : null;
        }
        Inet4Address dotted = ipv4(mask);
        if (dotted == null) {
            return null;
        }
        byte[] b = dotted.getAddress();
        int bits = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int prefix = Integer.bitCount(bits);
        return bits == (prefix == 0 ? 0 : -1 << (32 - prefix)) ? prefix : null;
    }

    static Inet4Address ipv4(String dotted) {
        if (dotted == null || !dotted.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(dotted); // a literal: no lookup
            return address instanceof Inet4Address v4 ? v4 : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The registry's peers as wire entries; peers it describes badly are left out, not guessed. */
    static List<PeerEntry> peers(List<RelayModels.Peer> peers) {
        List<PeerEntry> entries = new ArrayList<>();
        for (RelayModels.Peer peer : peers) {
            Inet4Address spnIp = ipv4(peer.spnIp());
            Key key;
            try {
                key = Key.fromBase64(peer.publicKey());
            } catch (KeyFormatException | RuntimeException e) {
                continue;
            }
            if (spnIp == null) {
                continue;
            }
            String host = "";
            int port = 0;
            if (peer.endpoint() != null) {
                int colon = peer.endpoint().lastIndexOf(':');
                if (colon > 0) {
                    host = peer.endpoint().substring(0, colon);
                    try {
                        port = Integer.parseInt(peer.endpoint().substring(colon + 1));
                    } catch (NumberFormatException e) {
                        host = "";
                    }
                }
            }
            try {
                entries.add(new PeerEntry(key, spnIp, 32, nullToEmpty(peer.allowedIps()), host, port,
                        nullToEmpty(peer.groupName())));
            } catch (IllegalArgumentException tooLong) {
                // a field over its wire limit: this peer cannot be described to the box
            }
        }
        return entries;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
