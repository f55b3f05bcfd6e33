package io.starconsole.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.codec.ProtocolException.Reason;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // one fixture per reason the codec gives
            "empty input,                          '',                 TRUNCATED",
            "truncated PING,                       010000,             TRUNCATED",
            "PING with a trailing byte,            010000000700,       TRAILING_BYTES",
            "message type 18 unknown,              12,                 UNKNOWN_MESSAGE_TYPE",
            "message type 255 unknown,             ff00,               UNKNOWN_MESSAGE_TYPE",
            "OK in reply to unknown type,          0399,               UNKNOWN_MESSAGE_TYPE",
            "NOK with reason 0,                    04000000,           INVALID_FIELD",
            "NOK text not UTF-8,                   04000101ff,         INVALID_FIELD",
            "NOK text longer than 200,             040001c9,           FIELD_TOO_LONG",
            "OK_NEWIP prefix 33,                   0d0a01020321,       INVALID_FIELD",
            "PONG reserved flag,                   0200000001040000000000000000, INVALID_FIELD",
            "ANS_USER_CMD reserved flag,           0c04,               INVALID_FIELD",
            "ANS_USER_CMD unknown command 99,      0c01000000000000000100630000000000, INVALID_FIELD",
            "ANS_SPN_INFO page beyond total,       09000100010000,     INVALID_FIELD",
            "ANS_SPN_INFO total pages zero,        09000000000000,     INVALID_FIELD",
            "COMMAND_RESULT status 2,              0f0000000000000001020000, INVALID_FIELD",
            "OTA_STATUS progress 101,              110000006500,       INVALID_FIELD",
            "OTA_STATUS state 8,                   110000080000,       INVALID_FIELD",
            "ANS_USER_CMD contents over 900 bytes, 0c010000000000000001006400000385, FIELD_TOO_LONG",
    })
    void decode_malformedFixture_isRejectedWithReason(String scenario, String hex, Reason reason) {
        byte[] bytes = HEX.parseHex(hex);

        assertThatThrownBy(() -> MessageCodec.decode(bytes))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void decode_longerThanMaximum_isRejectedBeforeParsing() {
        byte[] bytes = new byte[MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES + 1];

        assertThatThrownBy(() -> MessageCodec.decode(bytes))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_LENGTH));
    }

    @Test
    void encode_ping_isTypeThenSequence() {
        assertThat(HEX.formatHex(MessageCodec.encode(new Ping(7)))).isEqualTo("0100000007");
    }

    @Test
    void encode_ansUserCmdAtMaximumContents_fitsOneDatagram() throws ProtocolException {
        UserCommand command = new UserCommand(-1L, UserCommandType.ADD_P2P_SPN_TUNNEL, 255, "x".repeat(64),
                new byte[UserCommand.MAX_CONTENTS_BYTES]);
        AnsUserCmd message = AnsUserCmd.of(command, true);

        byte[] encoded = MessageCodec.encode(message);

        assertThat(encoded.length).isLessThanOrEqualTo(MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES);
        assertThat(MessageCodec.decode(encoded)).isEqualTo(message);
    }

    @Test
    void paginate_manyLargePeers_everyPageFitsAndNothingIsLost() {
        PeerEntry large = new PeerEntry(io.starconsole.protocol.crypto.Key.copyOf(new byte[32]),
                RandomMessages.address(new byte[] {10, 0, 0, 1}), 32, "a".repeat(128), "h".repeat(64), 51820,
                "g".repeat(64));
        List<PeerEntry> peers = java.util.Collections.nCopies(10, large);

        List<AnsSpnInfo> pages = AnsSpnInfo.paginate(peers);

        assertThat(pages).allSatisfy(page -> assertThat(MessageCodec.encode(page).length)
                .isLessThanOrEqualTo(MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES));
        assertThat(pages.stream().mapToInt(p -> p.entries().size()).sum()).isEqualTo(10);
        assertThat(pages.get(0).totalPages()).isEqualTo(pages.size()).isGreaterThan(1);
    }

    @Test
    void paginate_noPeers_isOneEmptyPage() {
        assertThat(AnsSpnInfo.paginate(List.of())).containsExactly(new AnsSpnInfo(0, 1, List.of()));
    }

    @Test
    void userCommand_toString_hidesContents() {
        UserCommand command = new UserCommand(1, UserCommandType.CHANGE_ADMIN_PASSWORD, 0, "10.0.0.2",
                "10.0.0.2 s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(command.toString()).doesNotContain("s3cret");
        assertThat(new AnsUserCmd(Optional.of(command), false).toString()).doesNotContain("s3cret");
    }

    @Test
    void userCommandType_keepsTheSeedNumbers() {
        assertThat(UserCommandType.CHANGE_SPNBOX_NAME.code()).isEqualTo(100);
        assertThat(UserCommandType.FLUSH_USER_CMDS.code()).isEqualTo(111);
        assertThat(MessageType.CANCEL_IP.code()).isEqualTo(14);
    }
}
