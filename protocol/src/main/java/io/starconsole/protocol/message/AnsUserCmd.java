package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Objects;
import java.util.Optional;

/**
 * ANS_USER_CMD (12): edge -> box, the leased command (or none) and whether more wait.
 * Body: flags u8 (bit 0 = a command follows, bit 1 = more pending), then the command if bit 0.
 */
public record AnsUserCmd(Optional<UserCommand> command, boolean morePending) implements Message {

    private static final int HAS_COMMAND = 0x01;
    private static final int MORE_PENDING = 0x02;

    public AnsUserCmd {
        Objects.requireNonNull(command, "command");
    }

    public static AnsUserCmd of(UserCommand command, boolean morePending) {
        return new AnsUserCmd(Optional.of(command), morePending);
    }

    public static AnsUserCmd none() {
        return new AnsUserCmd(Optional.empty(), false);
    }

    public static AnsUserCmd decode(ByteReader reader) throws ProtocolException {
        int flags = reader.u8(); // flags, u8
        if ((flags & ~(HAS_COMMAND | MORE_PENDING)) != 0) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "reserved ANS_USER_CMD flag set");
        }
        Optional<UserCommand> command = (flags & HAS_COMMAND) != 0 ? Optional.of(UserCommand.decode(reader)) : Optional.empty();
        return new AnsUserCmd(command, (flags & MORE_PENDING) != 0);
    }

    @Override
    public MessageType type() {
        return MessageType.ANS_USER_CMD;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u8((command.isPresent() ? HAS_COMMAND : 0) | (morePending ? MORE_PENDING : 0));
        command.ifPresent(c -> c.encodeTo(writer));
    }
}
