package io.starconsole.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.protocol.codec.ProtocolException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MessageRoundTripProperties {

    @Property(tries = 2000)
    void encodeThenDecode_anyMessage_isEqual(@ForAll("messages") Message message) throws ProtocolException {
        byte[] encoded = MessageCodec.encode(message);

        assertThat(MessageCodec.decode(encoded)).isEqualTo(message);
        assertThat(encoded.length).isLessThanOrEqualTo(MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES);
        assertThat(encoded[0] & 0xFF).isEqualTo(message.type().code());
    }

    @Property(tries = 500)
    void decode_anyTruncation_isRejectedAsTruncated(@ForAll("messages") Message message) {
        byte[] encoded = MessageCodec.encode(message);
        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> MessageCodec.decode(prefix))
                    .isInstanceOfSatisfying(ProtocolException.class,
                            e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.TRUNCATED));
        }
    }

    @Provide
    Arbitrary<Message> messages() {
        return MessageArbitraries.anyMessage();
    }
}
