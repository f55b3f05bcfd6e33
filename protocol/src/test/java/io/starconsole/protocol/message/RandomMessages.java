package io.starconsole.protocol.message;

import io.starconsole.protocol.crypto.Key;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Messages of every type for the codec's round-trip tests: random ones from a seeded
 * {@link SplittableRandom}, and {@link #boundaryMessages()}, each type with all its fields at their
 * lower or at their upper bounds.
 */
final class RandomMessages {

    /** How each field is chosen. */
    private enum FieldValues {
        /** Empty texts, lists and byte arrays; each number at its minimum; the first enum constant. */
        SMALLEST,
        /** Texts of exactly their maximum UTF-8 size in one-byte characters; the rest at its maximum. */
        LARGEST_ASCII,
        /** As {@link #LARGEST_ASCII}, the texts made of two-, three- and four-byte characters. */
        LARGEST_MULTI_BYTE,
        /** Random, each field near a bound now and then (bounds are where codecs break). */
        RANDOM
    }

    /** Peers offered to one ANS_SPN_INFO page: more than fit in one datagram even when they are small. */
    private static final int MAX_PEERS_OFFERED = 30;

    /** Characters at both ends of each UTF-8 length (2, 3 and 4 bytes), and a few everyday ones. */
    private static final String[] MULTI_BYTE_CHARACTERS = {
            "\u0080", "\u07ff", "é", "\u0800", "\uffff", "€", "한", "\ud800\udc00", "\udbff\udfff", "𝄞"};

    private final FieldValues fields;
    private final SplittableRandom random;

    private RandomMessages(FieldValues fields, SplittableRandom random) {
        this.fields = fields;
        this.random = random;
    }

    /** Random messages of uniformly chosen types; the same seed gives the same messages. */
    RandomMessages(SplittableRandom random) {
        this(FieldValues.RANDOM, random);
    }

    /** Each message type with its fields smallest, largest in ASCII, and largest in multi-byte text. */
    static List<Message> boundaryMessages() {
        List<Message> messages = new ArrayList<>();
        for (FieldValues values : List.of(FieldValues.SMALLEST, FieldValues.LARGEST_ASCII, FieldValues.LARGEST_MULTI_BYTE)) {
            RandomMessages generator = new RandomMessages(values, null);
            for (MessageType type : MessageType.values()) {
                messages.add(generator.message(type));
            }
        }
        return messages;
    }

    Message next() {
        return message(MessageType.values()[random.nextInt(MessageType.values().length)]);
    }

    // An exhaustive switch: a new message type does not compile here until it is generated too.
    private Message message(MessageType type) {
        return switch (type) {
            case HELLO -> new Hello(boxInfo());
            case PING -> new Ping(between(0, 0xFFFF_FFFFL));
            case PONG -> new Pong(between(0, 0xFFFF_FFFFL), between(0, Pong.COMMANDS_PENDING | Pong.OTA_PENDING), anyLong());
            case OK -> new Ok(oneOf(MessageType.values()));
            case NOK -> new Nok(oneOf(MessageType.values()), oneOf(NokReason.values()), text(Nok.MAX_TEXT_BYTES));
            case BYE -> new Bye();
            case RECONNECT -> new Reconnect(boxInfo());
            case SND_SPN_INFO -> new SndSpnInfo(ipv4(), prefixLength(), port(), port(), text(BoxInfo.MAX_ALLOWED_IPS_BYTES));
            case ASK_SPN_INFO -> new AskSpnInfo(between(0, 0xFFFF));
            case ANS_SPN_INFO -> ansSpnInfo();
            case SND_USER_CMD -> new SndUserCmd(userCommand());
            case ASK_USER_CMD -> new AskUserCmd();
            case ANS_USER_CMD -> new AnsUserCmd(optionalUserCommand(), bool());
            case OK_NEWIP -> new OkNewIp(ipv4(), prefixLength());
            case CANCEL_IP -> new CancelIp(ipv4());
            case COMMAND_RESULT -> new CommandResult(anyLong(), bool(), text(CommandResult.MAX_MESSAGE_BYTES));
            case WAKE_UP -> new WakeUp(between(0, 0xFFFF));
            case OTA_STATUS -> new OtaStatus(text(OtaStatus.MAX_RELEASE_ID_BYTES), text(OtaStatus.MAX_VERSION_BYTES),
                    oneOf(OtaState.values()), between(0, 100), text(OtaStatus.MAX_MESSAGE_BYTES));
        };
    }

    private BoxInfo boxInfo() {
        return new BoxInfo(text(BoxInfo.MAX_GROUP_NAME_BYTES), text(BoxInfo.MAX_ID_STRING_BYTES),
                new MacAddress(between(0, 0xFFFF_FFFF_FFFFL)), ipv4(), prefixLength(), port(), port(),
                text(BoxInfo.MAX_ALLOWED_IPS_BYTES), text(BoxInfo.MAX_FIRMWARE_VERSION_BYTES),
                text(BoxInfo.MAX_ENROLMENT_TOKEN_BYTES));
    }

    private AnsSpnInfo ansSpnInfo() {
        int totalPages = between(1, 0xFFFF);
        int page = between(0, totalPages - 1);
        List<PeerEntry> peers = new ArrayList<>();
        for (int count = between(0, MAX_PEERS_OFFERED); peers.size() < count; ) {
            peers.add(peerEntry());
        }
        // The first page of paginate() keeps the leading peers that fit one datagram.
        return new AnsSpnInfo(page, totalPages, AnsSpnInfo.paginate(peers).get(0).entries());
    }

    private PeerEntry peerEntry() {
        return new PeerEntry(Key.copyOf(bytes(Key.SIZE_IN_BYTES, Key.SIZE_IN_BYTES)), ipv4(), prefixLength(),
                text(BoxInfo.MAX_ALLOWED_IPS_BYTES), text(PeerEntry.MAX_ENDPOINT_HOST_BYTES), port(),
                text(BoxInfo.MAX_GROUP_NAME_BYTES));
    }

    private UserCommand userCommand() {
        return new UserCommand(anyLong(), oneOf(UserCommandType.values()), between(0, 0xFF),
                text(UserCommand.MAX_TARGET_BYTES), bytes(0, UserCommand.MAX_CONTENTS_BYTES));
    }

    private Optional<UserCommand> optionalUserCommand() {
        boolean present = switch (fields) {
            case SMALLEST -> false;
            case LARGEST_ASCII, LARGEST_MULTI_BYTE -> true;
            case RANDOM -> random.nextInt(4) != 0;
        };
        return present ? Optional.of(userCommand()) : Optional.empty();
    }

    private Inet4Address ipv4() {
        return address(bytes(4, 4));
    }

    private int prefixLength() {
        return between(0, 32);
    }

    private int port() {
        return between(0, 0xFFFF);
    }

    private boolean bool() {
        return between(0, 1) == 1;
    }

    private <T> T oneOf(T[] values) {
        return values[between(0, values.length - 1)];
    }

    private int between(int min, int max) {
        return (int) between((long) min, max);
    }

    private long between(long min, long max) {
        return switch (fields) {
            case SMALLEST -> min;
            case LARGEST_ASCII, LARGEST_MULTI_BYTE -> max;
            case RANDOM -> random.nextInt(4) == 0 ? nearABound(min, max) : random.nextLong(min, max + 1);
        };
    }

    /** A u64 field: any Java long, where -1 (all bits set) is the largest value on the wire. */
    private long anyLong() {
        return switch (fields) {
            case SMALLEST -> Long.MIN_VALUE;
            case LARGEST_ASCII, LARGEST_MULTI_BYTE -> Long.MAX_VALUE;
            case RANDOM -> random.nextInt(4) == 0 ? nearABound(Long.MIN_VALUE, Long.MAX_VALUE) : random.nextLong();
        };
    }

    /** A bound, its neighbour, or zero or minus one where they lie inside [min, max]. */
    private long nearABound(long min, long max) {
        long[] candidates = {min, min + 1, max - 1, max, 0, -1};
        return Math.max(min, Math.min(max, candidates[random.nextInt(candidates.length)]));
    }

    /** From {@code minLength} to {@code maxLength} bytes: all 0x00 when smallest, all 0xFF when largest. */
    private byte[] bytes(int minLength, int maxLength) {
        byte[] out = new byte[between(minLength, maxLength)];
        switch (fields) {
            case SMALLEST -> Arrays.fill(out, (byte) 0x00);
            case LARGEST_ASCII, LARGEST_MULTI_BYTE -> Arrays.fill(out, (byte) 0xFF);
            case RANDOM -> random.nextBytes(out);
        }
        return out;
    }

    /** Well-formed text of at most {@code maxBytes} bytes in UTF-8. */
    private String text(int maxBytes) {
        return switch (fields) {
            case SMALLEST -> "";
            case LARGEST_ASCII -> asciiTextOfExactly(maxBytes);
            case LARGEST_MULTI_BYTE -> multiByteTextOfExactly(maxBytes);
            case RANDOM -> switch (random.nextInt(8)) {
                case 0 -> "";
                case 1 -> random.nextBoolean() ? asciiTextOfExactly(maxBytes) : multiByteTextOfExactly(maxBytes);
                default -> randomText(random.nextInt(maxBytes + 1), random.nextBoolean());
            };
        };
    }

    /** DEL, the highest one-byte character, {@code bytes} times. */
    private static String asciiTextOfExactly(int bytes) {
        return "\u007f".repeat(bytes);
    }

    /** Four-byte characters, then one shorter character so the text is exactly {@code bytes} long. */
    private static String multiByteTextOfExactly(int bytes) {
        String[] lastCharacterByLength = {"", "a", "é", "€"};
        return "𝄞".repeat(bytes / 4) + lastCharacterByLength[bytes % 4];
    }

    /** Random ASCII (control characters included), mixed with multi-byte characters if asked, up to {@code bytes}. */
    private String randomText(int bytes, boolean withMultiByte) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        while (true) {
            String character = withMultiByte && random.nextBoolean()
                    ? MULTI_BYTE_CHARACTERS[random.nextInt(MULTI_BYTE_CHARACTERS.length)]
                    : String.valueOf((char) random.nextInt(0x80));
            int size = character.getBytes(StandardCharsets.UTF_8).length;
            if (used + size > bytes) {
                return out.toString();
            }
            out.append(character);
            used += size;
        }
    }

    static Inet4Address address(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
