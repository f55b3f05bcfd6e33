package io.starconsole.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.crypto.X25519;
import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.MessageCodec;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Recomputes the hex test vectors of docs/protocol.md from fixed keys, ephemeral keys, indices
 * and timestamp, and checks them against the document. The computed block is also written to
 * target/protocol-vectors.txt for pasting when the spec changes on purpose.
 */
class KnownAnswerVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Path SPEC = Path.of("..", "docs", "protocol.md");
    private static final Pattern VECTOR = Pattern.compile("^([a-z0-9_]+) = ([0-9a-f]+)$", Pattern.MULTILINE);

    static Map<String, String> computeVectors(JediVersion version) throws ProtocolException {
        KeyPair boxStatic = KeyPair.fromPrivateKey(Key.copyOf(sequence(0x00)));
        KeyPair edgeStatic = KeyPair.fromPrivateKey(Key.copyOf(sequence(0x20)));
        KeyPair boxEphemeral = KeyPair.fromPrivateKey(Key.copyOf(sequence(0x40)));
        KeyPair edgeEphemeral = KeyPair.fromPrivateKey(Key.copyOf(sequence(0x60)));
        byte[] timestamp = Tai64n.of(Instant.parse("2025-01-01T00:00:00Z"));
        int boxIndex = 0x11223344;
        int edgeIndex = 0x55667788;
        long[] clock = {0};

        Initiator initiator = new Initiator(boxStatic, edgeStatic.publicKey(), Clock.systemUTC(), () -> clock[0], new SecureRandom(),
                version);
        Responder responder = new Responder(edgeStatic, () -> false,
                new SourceRateLimiter(1, 1, 1, () -> clock[0]), new SecureRandom(), () -> clock[0]);
        InitiationAttempt attempt = initiator.initiate(HandshakeTest.hello(), boxIndex, pair(0x40), timestamp);
        PendingHandshake pending = (PendingHandshake) responder.consumeInitiation(attempt.datagram(),
                new java.net.InetSocketAddress(HandshakeTest.address(192, 0, 2, 1), 40000));
        OkNewIp answer = new OkNewIp(HandshakeTest.address(10, 1, 2, 3), 24);
        HandshakeResponse response = pending.respond(answer, edgeIndex, pair(0x60));
        Established established = attempt.consumeResponse(response.datagram());
        UserCommand command = new UserCommand(7, UserCommandType.REBOOT_SPNBOX, 0, "10.1.2.3",
                "now".getBytes(StandardCharsets.UTF_8));

        Map<String, String> vectors = new LinkedHashMap<>();
        vectors.put("box_static_private", boxStatic.privateKey().toHex());
        vectors.put("box_static_public", boxStatic.publicKey().toHex());
        vectors.put("edge_static_private", edgeStatic.privateKey().toHex());
        vectors.put("edge_static_public", edgeStatic.publicKey().toHex());
        vectors.put("box_ephemeral_private", boxEphemeral.privateKey().toHex());
        vectors.put("box_ephemeral_public", boxEphemeral.publicKey().toHex());
        vectors.put("edge_ephemeral_private", edgeEphemeral.privateKey().toHex());
        vectors.put("edge_ephemeral_public", edgeEphemeral.publicKey().toHex());
        vectors.put("timestamp", HEX.formatHex(timestamp));
        vectors.put("hello_message", HEX.formatHex(MessageCodec.encode(HandshakeTest.hello())));
        vectors.put("initiation", HEX.formatHex(attempt.datagram()));
        vectors.put("ok_newip_message", HEX.formatHex(MessageCodec.encode(answer)));
        vectors.put("response", HEX.formatHex(response.datagram()));
        byte[][] keys = independentKeys(version, boxStatic, edgeStatic, boxEphemeral, edgeEphemeral, attempt.datagram(), response.datagram());
        vectors.put("handshake_hash", HEX.formatHex(keys[2]));
        vectors.put("box_to_edge_key", HEX.formatHex(keys[0]));
        vectors.put("edge_to_box_key", HEX.formatHex(keys[1]));
        vectors.put("ping_message", HEX.formatHex(MessageCodec.encode(new Ping(1))));
        vectors.put("sealed_ping", HEX.formatHex(established.session().seal(new Ping(1))));
        vectors.put("ans_user_cmd_message", HEX.formatHex(MessageCodec.encode(AnsUserCmd.of(command, false))));
        vectors.put("sealed_ans_user_cmd", HEX.formatHex(response.session().seal(AnsUserCmd.of(command, false))));
        return vectors;
    }

    /** The Noise IK chain written out step by step from the spec, apart from Initiator/Responder. */
    private static byte[][] independentKeys(JediVersion version, KeyPair boxStatic, KeyPair edgeStatic, KeyPair boxEphemeral,
            KeyPair edgeEphemeral, byte[] initiation, byte[] response) throws ProtocolException {
        SymmetricState state = SymmetricState.initialize(version, edgeStatic.publicKey());
        state.mixHash(boxEphemeral.publicKey().getBytes());
        state.mixKey(X25519.sharedSecret(boxEphemeral.privateKey(), edgeStatic.publicKey().getBytes()));
        state.decryptAndHash(java.util.Arrays.copyOfRange(initiation, 40, 88));
        state.mixKey(X25519.sharedSecret(boxStatic.privateKey(), edgeStatic.publicKey().getBytes()));
        state.decryptAndHash(java.util.Arrays.copyOfRange(initiation, 88, initiation.length - 32));
        state.mixHash(edgeEphemeral.publicKey().getBytes());
        state.mixKey(X25519.sharedSecret(boxEphemeral.privateKey(), edgeEphemeral.publicKey().getBytes()));
        state.mixKey(X25519.sharedSecret(boxStatic.privateKey(), edgeEphemeral.publicKey().getBytes()));
        state.decryptAndHash(java.util.Arrays.copyOfRange(response, 44, response.length - 32));
        byte[][] split = state.split();
        return new byte[][] {split[0], split[1], state.hash};
    }

    /** A fresh pair each time: the handshake zeroes ephemeral private keys after use. */
    private static KeyPair pair(int first) {
        return KeyPair.fromPrivateKey(Key.copyOf(sequence(first)));
    }

    private static byte[] sequence(int first) {
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }

    @Test
    void vectors_inDocsProtocolMd_matchTheCode() throws ProtocolException, IOException {
        // JEDI/2's vectors, then JEDI/3's where they differ (the keys and messages are the same).
        Map<String, String> computed = computeVectors(JediVersion.JEDI_2);
        Map<String, String> jedi2 = new LinkedHashMap<>(computed);
        computeVectors(JediVersion.JEDI_3).forEach((name, hex) -> {
            if (!hex.equals(jedi2.get(name))) {
                computed.put("jedi3_" + name, hex);
            }
        });
        StringBuilder block = new StringBuilder();
        computed.forEach((name, hex) -> block.append(name).append(" = ").append(hex).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "protocol-vectors.txt"), block);

        Map<String, String> documented = new LinkedHashMap<>();
        Matcher matcher = VECTOR.matcher(Files.readString(SPEC));
        while (matcher.find()) {
            documented.put(matcher.group(1), matcher.group(2));
        }

        assertThat(documented).containsExactlyEntriesOf(computed);
    }
}
