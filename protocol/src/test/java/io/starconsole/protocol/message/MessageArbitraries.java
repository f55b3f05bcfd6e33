package io.starconsole.protocol.message;

import io.starconsole.protocol.crypto.Key;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for every message, including fields at their maximum sizes. */
public final class MessageArbitraries {

    private MessageArbitraries() {
    }

    public static Arbitrary<Message> anyMessage() {
        return Arbitraries.oneOf(
                boxInfo().map(Hello::new),
                boxInfo().map(Reconnect::new),
                u32().map(Ping::new),
                Combinators.combine(u32(), Arbitraries.integers().between(0, 3), Arbitraries.longs())
                        .as(Pong::new),
                Arbitraries.of(MessageType.class).map(Ok::new),
                Combinators.combine(Arbitraries.of(MessageType.class), Arbitraries.of(NokReason.class), text(Nok.MAX_TEXT_BYTES))
                        .as(Nok::new),
                Arbitraries.just(new Bye()),
                Combinators.combine(ipv4(), prefix(), port(), port(), text(BoxInfo.MAX_ALLOWED_IPS_BYTES)).as(SndSpnInfo::new),
                Arbitraries.integers().between(0, 0xFFFF).map(AskSpnInfo::new),
                peerEntry().list().ofMaxSize(20).map(peers -> AnsSpnInfo.paginate(peers).get(0)),
                userCommand().map(SndUserCmd::new),
                Arbitraries.just(new AskUserCmd()),
                Combinators.combine(userCommand().optional(), Arbitraries.of(true, false)).as(AnsUserCmd::new),
                Combinators.combine(ipv4(), prefix()).as(OkNewIp::new),
                ipv4().map(CancelIp::new),
                Combinators.combine(Arbitraries.longs(), Arbitraries.of(true, false), text(CommandResult.MAX_MESSAGE_BYTES))
                        .as(CommandResult::new),
                Arbitraries.integers().between(0, 0xFFFF).map(WakeUp::new),
                Combinators.combine(text(OtaStatus.MAX_RELEASE_ID_BYTES), text(OtaStatus.MAX_VERSION_BYTES),
                        Arbitraries.of(OtaState.class), Arbitraries.integers().between(0, 100), text(OtaStatus.MAX_MESSAGE_BYTES))
                        .as(OtaStatus::new));
    }

    public static Arbitrary<BoxInfo> boxInfo() {
        return Combinators.combine(
                text(BoxInfo.MAX_GROUP_NAME_BYTES), text(BoxInfo.MAX_ID_STRING_BYTES),
                Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL).map(MacAddress::new), ipv4(), prefix(), port(), port(),
                text(BoxInfo.MAX_ALLOWED_IPS_BYTES))
                .flatAs((group, id, mac, ip, prefix, listen, endpoint, allowed) -> Combinators.combine(
                        text(BoxInfo.MAX_FIRMWARE_VERSION_BYTES), text(BoxInfo.MAX_ENROLMENT_TOKEN_BYTES))
                        .as((firmware, token) -> new BoxInfo(group, id, mac, ip, prefix, listen, endpoint, allowed, firmware, token)));
    }

    public static Arbitrary<UserCommand> userCommand() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(UserCommandType.class),
                Arbitraries.integers().between(0, 255), text(UserCommand.MAX_TARGET_BYTES),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(UserCommand.MAX_CONTENTS_BYTES))
                .as(UserCommand::new);
    }

    static Arbitrary<PeerEntry> peerEntry() {
        return Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(Key.SIZE_IN_BYTES).map(Key::copyOf), ipv4(), prefix(),
                text(BoxInfo.MAX_ALLOWED_IPS_BYTES), text(PeerEntry.MAX_ENDPOINT_HOST_BYTES), port(),
                text(BoxInfo.MAX_GROUP_NAME_BYTES))
                .as(PeerEntry::new);
    }

    /** Strings whose UTF-8 form is at most {@code maxBytes}: ASCII up to the limit, or a few multi-byte letters. */
    static Arbitrary<String> text(int maxBytes) {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(maxBytes),
                Arbitraries.strings().withChars("한국어é€").ofMaxLength(maxBytes / 3),
                Arbitraries.just("𝄞".repeat(maxBytes / 4)));
    }

    static Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    static Arbitrary<Integer> port() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    static Arbitrary<Integer> prefix() {
        return Arbitraries.integers().between(0, 32);
    }

    static Arbitrary<Inet4Address> ipv4() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4).map(MessageArbitraries::address);
    }

    static Inet4Address address(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
