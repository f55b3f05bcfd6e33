package io.starconsole.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import io.starconsole.protocol.codec.ProtocolException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** The hand-written ChaCha20-Poly1305 against RFC 8439's example and the JDK's and BouncyCastle's own. */
class ChaChaPolyTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void seal_rfc8439Section2_8_2_example_matches() throws ProtocolException {
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] ad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
        byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = HEX.parseHex("070000004041424344454647");
        byte[] sealed = new byte[plaintext.length + 16];

        ChaChaPoly.seal(key, nonce, ad, 0, ad.length, plaintext, 0, plaintext.length, sealed, 0);

        assertThat(HEX.formatHex(Arrays.copyOf(sealed, 16))).isEqualTo("d31a8d34648e60db7b86afbc53ef7ec2");
        assertThat(HEX.formatHex(Arrays.copyOfRange(sealed, plaintext.length, sealed.length)))
                .isEqualTo("1ae10b594f09e26a7e902ecbd0600691");
        byte[] opened = new byte[plaintext.length];
        ChaChaPoly.open(key, nonce, ad, 0, ad.length, sealed, 0, sealed.length, opened, 0);
        assertThat(opened).isEqualTo(plaintext);
    }

    @Test
    void sealAndOpen_everyLengthUpTo300_agreeWithTheJdk() throws Exception {
        Random random = new Random(8439);
        for (int length = 0; length <= 300; length++) {
            for (int adLength : new int[] {0, 1, 15, 16, 17, 16 + random.nextInt(60)}) {
                byte[] key = bytes(random, 32);
                byte[] nonce = bytes(random, 12);
                byte[] ad = bytes(random, adLength);
                byte[] plaintext = bytes(random, length);
                byte[] expected = jdkSeal(key, nonce, ad, plaintext);
                // Written at an offset into a larger array, as sessions do.
                byte[] out = new byte[5 + length + 16 + 3];

                int written = ChaChaPoly.seal(key, nonce, ad, 0, adLength, plaintext, 0, length, out, 5);

                assertThat(written).isEqualTo(length + 16);
                assertThat(Arrays.copyOfRange(out, 5, 5 + written)).as("length %d, ad %d", length, adLength).isEqualTo(expected);
                byte[] opened = new byte[length];
                assertThat(ChaChaPoly.open(key, nonce, ad, 0, adLength, out, 5, written, opened, 0)).isEqualTo(length);
                assertThat(opened).isEqualTo(plaintext);
            }
        }
    }

    @Test
    void sealAndOpen_inPlace_roundTrip() throws ProtocolException {
        Random random = new Random(3);
        byte[] key = bytes(random, 32);
        byte[] nonce = bytes(random, 12);
        byte[] plaintext = bytes(random, 100);
        byte[] buffer = Arrays.copyOf(plaintext, 116);

        ChaChaPoly.seal(key, nonce, new byte[0], 0, 0, buffer, 0, 100, buffer, 0);
        assertThat(Arrays.copyOf(buffer, 100)).isNotEqualTo(plaintext);
        ChaChaPoly.open(key, nonce, new byte[0], 0, 0, buffer, 0, 116, buffer, 0);

        assertThat(Arrays.copyOf(buffer, 100)).isEqualTo(plaintext);
    }

    @Test
    void open_anyBitFlipped_failsAuthentication_andWritesNothing() throws ProtocolException {
        Random random = new Random(5);
        byte[] key = bytes(random, 32);
        byte[] nonce = bytes(random, 12);
        byte[] ad = bytes(random, 20);
        byte[] sealed = new byte[40 + 16];
        ChaChaPoly.seal(key, nonce, ad, 0, ad.length, bytes(random, 40), 0, 40, sealed, 0);

        for (int bit = 0; bit < (sealed.length + ad.length) * 8; bit++) {
            byte[] tamperedSealed = sealed.clone();
            byte[] tamperedAd = ad.clone();
            if (bit < sealed.length * 8) {
                tamperedSealed[bit / 8] ^= (byte) (1 << (bit % 8));
            } else {
                int adBit = bit - sealed.length * 8;
                tamperedAd[adBit / 8] ^= (byte) (1 << (adBit % 8));
            }
            byte[] out = new byte[40];
            assertThatThrownBy(() -> ChaChaPoly.open(key, nonce, tamperedAd, 0, tamperedAd.length, tamperedSealed, 0,
                    tamperedSealed.length, out, 0))
                    .as("bit %d", bit)
                    .isInstanceOfSatisfying(ProtocolException.class,
                            e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.AUTHENTICATION_FAILED));
            assertThat(out).as("bit %d", bit).containsOnly(0);
        }
    }

    @Test
    void open_shorterThanTag_isTruncated() {
        assertThatThrownBy(() -> ChaChaPoly.open(new byte[32], new byte[12], new byte[0], 0, 0, new byte[15], 0, 15,
                new byte[0], 0))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.TRUNCATED));
    }

    /** The final reduction's rarely taken paths: h near and above 2^130 - 5, s carrying out of 2^128. */
    @Test
    void poly1305_extremeKeysAndMessages_agreeWithBouncyCastle() {
        Random random = new Random(1305);
        byte[][] keys = {filled(32, 0xff), filled(32, 0x00), concat(filled(16, 0xff), filled(16, 0x00)),
                concat(filled(16, 0x00), filled(16, 0xff)), bytes(random, 32)};
        byte[][] blockPatterns = {filled(16, 0xff), filled(16, 0x00), HEX.parseHex("fbffffffffffffffffffffffffffffff"),
                HEX.parseHex("fafffffffffffffffffffffffffffff3"), HEX.parseHex("01000000000000000000000000000000")};
        for (byte[] key : keys) {
            for (byte[] pattern : blockPatterns) {
                for (int blocks = 1; blocks <= 40; blocks++) {
                    byte[] message = new byte[16 * blocks];
                    for (int b = 0; b < blocks; b++) {
                        System.arraycopy(pattern, 0, message, 16 * b, 16);
                    }
                    assertThat(ChaChaPoly.poly1305OfBlocks(key, message)).isEqualTo(bouncyCastlePoly1305(key, message));
                }
            }
        }
        for (int i = 0; i < 5_000; i++) {
            byte[] key = bytes(random, 32);
            byte[] message = bytes(random, 16 * (1 + random.nextInt(8)));
            for (int j = 0; j < message.length; j++) {
                if (random.nextInt(3) == 0) {
                    message[j] = (byte) 0xff;
                }
            }
            assertThat(ChaChaPoly.poly1305OfBlocks(key, message)).isEqualTo(bouncyCastlePoly1305(key, message));
        }
    }

    /** The reason it exists: re-keyed for every datagram, it allocates nothing. */
    @Test
    void sealAndOpen_withAFreshKeyEachCall_allocateNothing() throws ProtocolException {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random random = new Random(9);
        byte[][] keys = new byte[64][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = bytes(random, 32);
        }
        byte[] nonce = new byte[12];
        byte[] ad = bytes(random, 16);
        byte[] plaintext = bytes(random, 48);
        byte[] sealed = new byte[64];
        byte[] opened = new byte[48];
        ChaChaPoly.seal(keys[0], nonce, ad, 0, 16, plaintext, 0, 48, sealed, 0); // this thread's scratch

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            nonce[11] = (byte) i;
            ChaChaPoly.seal(keys[i % keys.length], nonce, ad, 0, 16, plaintext, 0, 48, sealed, 0);
            ChaChaPoly.open(keys[i % keys.length], nonce, ad, 0, 16, sealed, 0, 64, opened, 0);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(opened).isEqualTo(plaintext);
        // 20,000 calls: the JDK's AES-GCM re-keyed so allocates ~65 MB; a few KB here would be the JIT's own.
        assertThat(allocated).isLessThan(20_000);
    }

    private static byte[] jdkSeal(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        cipher.updateAAD(ad);
        return cipher.doFinal(plaintext);
    }

    private static byte[] bouncyCastlePoly1305(byte[] key, byte[] message) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        return tag;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
