package io.starconsole.functions.command;

import io.starconsole.protocol.message.UserCommandType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The functions keep their own list of command types (they do not depend on the wire library at
 * run time); it must be the wire's list exactly, name for name and number for number.
 */
class CommandTypeWireTest {

    @Test
    void commandTypes_areTheWiresUserCommands() {
        Map<String, Integer> api = Arrays.stream(CommandType.values())
                .collect(Collectors.toMap(Enum::name, CommandType::code));
        Map<String, Integer> wire = Arrays.stream(UserCommandType.values())
                .collect(Collectors.toMap(Enum::name, UserCommandType::code));
        assertThat(api).isEqualTo(wire);
    }
}
