package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Objects;

/**
 * SND_USER_CMD (10): the wire form of "queue this command" (the REST call's body in the console);
 * kept for the seed's numbering. An edge answers it from a box with NOK NOT_ALLOWED.
 */
public record SndUserCmd(UserCommand command) implements Message {

    public SndUserCmd {
        Objects.requireNonNull(command, "command");
    }

    public static SndUserCmd decode(ByteReader reader) throws ProtocolException {
        return new SndUserCmd(UserCommand.decode(reader));
    }

    @Override
    public MessageType type() {
        return MessageType.SND_USER_CMD;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        command.encodeTo(writer);
    }
}
