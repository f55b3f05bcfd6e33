package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;
import java.util.Objects;

/** OTA_STATUS (17): box -> edge, progress of a firmware update; answered OK. */
public record OtaStatus(String releaseId, String version, OtaState state, int progressPercent, String message)
        implements Message {

    public static final int MAX_RELEASE_ID_BYTES = 64;
    public static final int MAX_VERSION_BYTES = 32;
    public static final int MAX_MESSAGE_BYTES = 200;

    public OtaStatus {
        Fields.text(releaseId, MAX_RELEASE_ID_BYTES, "releaseId");
        Fields.text(version, MAX_VERSION_BYTES, "version");
        Objects.requireNonNull(state, "state");
        Fields.range(progressPercent, 0, 100, "progressPercent");
        Fields.text(message, MAX_MESSAGE_BYTES, "message");
    }

    public static OtaStatus decode(ByteReader reader) throws ProtocolException {
        String releaseId = reader.string8(MAX_RELEASE_ID_BYTES);                                        // release id
        String version = reader.string8(MAX_VERSION_BYTES);                                             // version
        OtaState state = WireCode.byCode(OtaState.values(), reader.u8(), ProtocolException.Reason.INVALID_FIELD); // state, u8
        int progress = reader.u8();                                                                     // progress, u8
        if (progress > 100) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "progress > 100");
        }
        return new OtaStatus(releaseId, version, state, progress, reader.string8(MAX_MESSAGE_BYTES)); // message
    }

    @Override
    public MessageType type() {
        return MessageType.OTA_STATUS;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.string8(releaseId).string8(version).u8(state.code()).u8(progressPercent).string8(message);
    }
}
