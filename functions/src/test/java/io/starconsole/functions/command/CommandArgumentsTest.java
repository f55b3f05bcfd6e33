package io.starconsole.functions.command;

import io.starconsole.functions.error.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandArgumentsTest {

    @Test
    void prefixOfMask_contiguousMasksOnly() {
        assertThat(CommandArguments.prefixOfMask("255.255.0.0")).isEqualTo(16);
        assertThat(CommandArguments.prefixOfMask("255.255.255.252")).isEqualTo(30);
        assertThat(CommandArguments.prefixOfMask("255.255.255.255")).isEqualTo(32);
        assertThat(CommandArguments.prefixOfMask("255.0.255.0")).isEqualTo(-1);
        assertThat(CommandArguments.prefixOfMask("255.255.0")).isEqualTo(-1);
    }

    @Test
    void hostname_rfc1123_labelAndTotalLength() {
        assertThat(CommandArguments.contents(CommandType.CHANGE_SPNBOX_NAME, "a-1.example")).isEqualTo("a-1.example");
        String label63 = "a".repeat(63);
        assertThat(CommandArguments.contents(CommandType.CHANGE_SPNBOX_NAME, label63)).isEqualTo(label63);
        assertThatThrownBy(() -> CommandArguments.contents(CommandType.CHANGE_SPNBOX_NAME, label63 + "a"))
                .isInstanceOf(ApiException.class);
        String long254 = (label63 + ".").repeat(4).substring(0, 254);
        assertThatThrownBy(() -> CommandArguments.contents(CommandType.CHANGE_SPNBOX_NAME, long254))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> CommandArguments.contents(CommandType.CHANGE_SPNBOX_NAME, "under_score"))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void password_becomesSha512Crypt_withASixteenCharacterSalt_andNeverEchoesThePassword() {
        String hash = CommandArguments.contents(CommandType.CHANGE_ADMIN_PASSWORD, "s3cret-passw0rd");
        assertThat(hash).matches("^\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}$");
        assertThat(CommandArguments.contents(CommandType.CHANGE_ADMIN_PASSWORD, "s3cret-passw0rd")).isNotEqualTo(hash);
        assertThatThrownBy(() -> CommandArguments.contents(CommandType.CHANGE_ADMIN_PASSWORD, "short7!"))
                .isInstanceOf(ApiException.class).hasMessageNotContaining("short7!");
    }

    @Test
    void p2pRule_roundTrips() {
        String rule = "groupname|test1|vip|172.16.1.1|lport|12345|ekey|" + CommandApiTest.KEY + "|server|spn.example.net:49918";
        assertThat(CommandArguments.p2pRule(rule).format()).isEqualTo(rule);
    }

    @Test
    void type_byNameOrNumber() {
        assertThat(CommandType.parse("reboot_spnbox", "type")).isEqualTo(CommandType.REBOOT_SPNBOX);
        assertThat(CommandType.parse(111, "type")).isEqualTo(CommandType.FLUSH_USER_CMDS);
        assertThat(CommandType.parse("112", "type")).isEqualTo(CommandType.UPDATE_FIRMWARE);
        assertThatThrownBy(() -> CommandType.parse("113", "type")).isInstanceOf(ApiException.class);
    }
}
