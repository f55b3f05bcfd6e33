package io.starconsole.protocol.crypto;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Seal + open of a PING-sized datagram (16-byte header as AD, 5-byte message) with the cipher
 * re-keyed for every call, as a compact session must: JDK provider vs BouncyCastle lightweight vs
 * the library's own {@link ChaChaPoly} (JEDI/3), AES-256-GCM vs ChaCha20-Poly1305. {@code sessions}
 * is how many keys take turns: with 1 the JDK skips its AES key schedule (same key as last time),
 * which an edge serving many sessions from one cipher per thread never does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBenchmark {

    @Param({"JDK_AES_GCM", "JDK_CHACHA20_POLY1305", "BC_AES_GCM", "BC_CHACHA20_POLY1305", "JEDI3_CHACHAPOLY"})
    public String variant;

    @Param({"1", "10000"})
    public int sessions;

    private byte[][] keys;
    private final byte[] header = new byte[16];
    private final byte[] message = {1, 0, 0, 0, 7};
    private final byte[] sealed = new byte[64];
    private final byte[] opened = new byte[64];
    private long counter;
    private Cipher jdkSeal;
    private Cipher jdkOpen;
    private AEADCipher bc;

    @Setup
    public void setUp() throws Exception {
        keys = new byte[sessions][32];
        SecureRandom random = new SecureRandom();
        for (byte[] key : keys) {
            random.nextBytes(key);
        }
        switch (variant) {
            case "JDK_AES_GCM" -> {
                jdkSeal = Cipher.getInstance("AES/GCM/NoPadding");
                jdkOpen = Cipher.getInstance("AES/GCM/NoPadding");
            }
            case "JDK_CHACHA20_POLY1305" -> {
                jdkSeal = Cipher.getInstance("ChaCha20-Poly1305");
                jdkOpen = Cipher.getInstance("ChaCha20-Poly1305");
            }
            case "BC_AES_GCM" -> bc = GCMBlockCipher.newInstance(AESEngine.newInstance());
            case "BC_CHACHA20_POLY1305" -> bc = new ChaCha20Poly1305();
            default -> {
                // the library's own: nothing to set up
            }
        }
    }

    @Benchmark
    public int sealAndOpen() throws Exception {
        byte[] key = keys[(int) (counter % sessions)];
        byte[] nonce = Aead.nonce(counter++);
        switch (variant) {
            case "JDK_AES_GCM" -> {
                jdkSeal.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
                jdkSeal.updateAAD(header);
                int length = jdkSeal.doFinal(message, 0, message.length, sealed, 0);
                jdkOpen.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
                jdkOpen.updateAAD(header);
                return jdkOpen.doFinal(sealed, 0, length, opened, 0);
            }
            case "JDK_CHACHA20_POLY1305" -> {
                jdkSeal.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
                jdkSeal.updateAAD(header);
                int length = jdkSeal.doFinal(message, 0, message.length, sealed, 0);
                jdkOpen.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
                jdkOpen.updateAAD(header);
                return jdkOpen.doFinal(sealed, 0, length, opened, 0);
            }
            case "JEDI3_CHACHAPOLY" -> {
                int length = ChaChaPoly.seal(key, nonce, header, 0, header.length, message, 0, message.length, sealed, 0);
                return ChaChaPoly.open(key, nonce, header, 0, header.length, sealed, 0, length, opened, 0);
            }
            default -> {
                bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, header));
                int length = bc.processBytes(message, 0, message.length, sealed, 0);
                length += bc.doFinal(sealed, length);
                bc.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, header));
                int out = bc.processBytes(sealed, 0, length, opened, 0);
                return out + bc.doFinal(opened, out);
            }
        }
    }
}
