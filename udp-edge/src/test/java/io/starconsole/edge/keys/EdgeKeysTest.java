package io.starconsole.edge.keys;

import io.starconsole.protocol.crypto.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeKeysTest {

    @Test
    void firstStart_makesAPrivateKeyReadableByTheOwnerOnly_andPublishesThePublicKey(@TempDir Path directory)
            throws Exception {
        KeyPair made = EdgeKeys.loadOrCreate(directory);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("edge.key"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(directory.resolve("edge.pub")).trim()).isEqualTo(made.publicKey().toBase64());
    }

    @Test
    void restart_keepsTheSameKeyPair(@TempDir Path directory) throws Exception {
        KeyPair first = EdgeKeys.loadOrCreate(directory);
        KeyPair second = EdgeKeys.loadOrCreate(directory);
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
    }

    @Test
    void garbageKeyFile_isRefusedWithAClearError(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("edge.key"), "not a key\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EdgeKeys.loadOrCreate(directory))
                .hasMessageContaining("does not hold a base64 X25519 private key");
    }
}
