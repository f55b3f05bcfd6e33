package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A user command as it travels in SND_USER_CMD and ANS_USER_CMD.
 *
 * @param id       the command's id in the queue, u64
 * @param type     the command
 * @param priority 0 = normal; higher is delivered first
 * @param target   SPN IP, {@code group:<name>}, or {@code 0.0.0.0} for all boxes; at most 64 bytes
 * @param contents the arguments in the seed's text form (e.g. {@code 10.1.2.1|255.255.255.0}), at most 900 bytes
 */
public record UserCommand(long id, UserCommandType type, int priority, String target, byte[] contents) {

    public static final int MAX_TARGET_BYTES = 64;
    public static final int MAX_CONTENTS_BYTES = 900;

    public UserCommand {
        Objects.requireNonNull(type, "type");
        Fields.range(priority, 0, 0xFF, "priority");
        Fields.text(target, MAX_TARGET_BYTES, "target");
        Objects.requireNonNull(contents, "contents");
        if (contents.length > MAX_CONTENTS_BYTES) {
            throw new IllegalArgumentException("contents longer than " + MAX_CONTENTS_BYTES + " bytes");
        }
        contents = contents.clone();
    }

    @Override
    public byte[] contents() {
        return contents.clone();
    }

    public static UserCommand decode(ByteReader reader) throws ProtocolException {
        long id = reader.u64();                                                                            // id, u64
        UserCommandType type = WireCode.byCode(UserCommandType.values(), reader.u16(), ProtocolException.Reason.INVALID_FIELD); // type, u16
        int priority = reader.u8();                                                                        // priority, u8
        String target = reader.string8(MAX_TARGET_BYTES);                                                  // target
        byte[] contents = reader.bytes16(MAX_CONTENTS_BYTES);                                              // contents
        return new UserCommand(id, type, priority, target, contents);
    }

    public void encodeTo(ByteWriter writer) {
        writer.u64(id).u16(type.code()).u8(priority).string8(target).bytes16(contents);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserCommand c && id == c.id && type == c.type && priority == c.priority
                && target.equals(c.target) && Arrays.equals(contents, c.contents);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, priority, target, Arrays.hashCode(contents));
    }

    @Override
    public String toString() {
        // Contents may hold a password (CHANGE_ADMIN_PASSWORD): only its size is shown.
        return "UserCommand[id=" + Long.toUnsignedString(id) + ", type=" + type + ", priority=" + priority
                + ", target=" + target + ", contents=" + contents.length + " bytes]";
    }
}
