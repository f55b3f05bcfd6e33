package io.starconsole.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedCipherTest {

    private static final int CHUNK = 16;
    private static final byte[] KEY = ChunkedCipher.newKey();

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] encrypt(byte[] plain, byte[] key, int chunkSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedCipher.encrypt(new ByteArrayInputStream(plain), out, key, chunkSize);
        return out.toByteArray();
    }

    static byte[] decrypt(byte[] encrypted, byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedCipher.decrypt(new ByteArrayInputStream(encrypted), out, key);
        return out.toByteArray();
    }

    /** Offset of chunk i's sealed bytes in an image with the given chunk size. */
    static int chunkOffset(int i, int chunkSize) {
        return ChunkedCipher.HEADER_SIZE_IN_BYTES + i * (chunkSize + ChunkedCipher.TAG_SIZE_IN_BYTES);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 15, 16, 17, 32, 33, 1000})
    void roundTrip_sizesAroundChunkBoundaries_restoreThePlainBytes(int size) {
        byte[] plain = random(size, size);
        byte[] encrypted = encrypt(plain, KEY, CHUNK);

        assertThat(encrypted).hasSize((int) ChunkedCipher.encryptedSize(size, CHUNK));
        assertThat(decrypt(encrypted, KEY)).isEqualTo(plain);
    }

    @Test
    void encrypt_emptyImage_isOneEmptyFinalChunk() {
        byte[] encrypted = encrypt(new byte[0], KEY, CHUNK);

        assertThat(encrypted).hasSize(ChunkedCipher.HEADER_SIZE_IN_BYTES + ChunkedCipher.TAG_SIZE_IN_BYTES);
        assertThat(Arrays.copyOf(encrypted, 9)).containsExactly('S', 'C', 'F', 'W', 1, 0, 0, 0, CHUNK);
    }

    @Test
    void roundTrip_exactlyOneDefaultChunk_isOneChunk() {
        byte[] plain = random(ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES, 7);
        byte[] encrypted = encrypt(plain, KEY, ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES);

        assertThat(encrypted).hasSize(ChunkedCipher.HEADER_SIZE_IN_BYTES + plain.length + ChunkedCipher.TAG_SIZE_IN_BYTES);
        assertThat(decrypt(encrypted, KEY)).isEqualTo(plain);
    }

    @Test
    void roundTrip_manyDefaultChunks_restoreThePlainBytes() {
        byte[] plain = random(10 * ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES + 12345, 8);

        assertThat(decrypt(encrypt(plain, KEY, ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES), KEY)).isEqualTo(plain);
    }

    @Test
    void encrypt_sameImageTwice_differsByNoncePrefix() {
        byte[] plain = random(100, 9);

        assertThat(encrypt(plain, KEY, CHUNK)).isNotEqualTo(encrypt(plain, KEY, CHUNK));
    }

    @Test
    void roundTrip_50MegabyteStream_throughAPipeWithoutHoldingTheImage() throws Exception {
        long size = 50L * 1024 * 1024;
        MessageDigest sourceDigest = Sha512.newDigest();
        PipedOutputStream encryptedOut = new PipedOutputStream();
        PipedInputStream encryptedIn = new PipedInputStream(encryptedOut, 64 * 1024);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = encryptedOut) {
                ChunkedCipher.encrypt(new DigestInputStream(new PatternStream(size), sourceDigest), out, KEY,
                        ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        CountingDigestOutput plain = new CountingDigestOutput();

        ChunkedCipher.decrypt(encryptedIn, plain, KEY);
        writer.get();

        assertThat(plain.count).isEqualTo(size);
        assertThat(Sha512.hex(plain.digest)).isEqualTo(Sha512.hex(sourceDigest));
    }

    @Test
    void decrypt_everyFlippedBit_isTampered() {
        byte[] encrypted = encrypt(random(3 * CHUNK + 5, 10), KEY, CHUNK);
        for (int bit = 0; bit < encrypted.length * 8; bit++) {
            byte[] changed = encrypted.clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));

            assertTampered(changed);
        }
    }

    @Test
    void decrypt_lastChunkDropped_isTampered() {
        byte[] encrypted = encrypt(random(3 * CHUNK + 5, 11), KEY, CHUNK);

        assertTampered(Arrays.copyOf(encrypted, chunkOffset(3, CHUNK)));
    }

    @Test
    void decrypt_emptyFinalChunkOfExactMultipleDropped_isTampered() {
        byte[] encrypted = encrypt(random(3 * CHUNK, 12), KEY, CHUNK);

        assertTampered(Arrays.copyOf(encrypted, chunkOffset(2, CHUNK)));
    }

    @Test
    void decrypt_everyTruncation_isTampered() {
        byte[] encrypted = encrypt(random(3 * CHUNK + 5, 13), KEY, CHUNK);
        for (int length = 0; length < encrypted.length; length++) {
            assertTampered(Arrays.copyOf(encrypted, length));
        }
    }

    @Test
    void decrypt_appendedBytes_isTampered() {
        byte[] encrypted = encrypt(random(3 * CHUNK + 5, 14), KEY, CHUNK);

        assertTampered(Arrays.copyOf(encrypted, encrypted.length + 1));
        byte[] twice = Arrays.copyOf(encrypted, encrypted.length + CHUNK + 16);
        System.arraycopy(encrypted, chunkOffset(0, CHUNK), twice, encrypted.length, CHUNK + 16);
        assertTampered(twice);
    }

    @Test
    void decrypt_swappedChunks_isTampered() {
        byte[] encrypted = encrypt(random(4 * CHUNK, 15), KEY, CHUNK);
        byte[] swapped = encrypted.clone();
        int sealed = CHUNK + ChunkedCipher.TAG_SIZE_IN_BYTES;
        System.arraycopy(encrypted, chunkOffset(1, CHUNK), swapped, chunkOffset(2, CHUNK), sealed);
        System.arraycopy(encrypted, chunkOffset(2, CHUNK), swapped, chunkOffset(1, CHUNK), sealed);

        assertTampered(swapped);
    }

    @Test
    void decrypt_chunkSplicedFromAnotherImageWithTheSameKey_isTampered() {
        byte[] plain = random(4 * CHUNK, 16);
        byte[] a = encrypt(plain, KEY, CHUNK);
        byte[] b = encrypt(random(4 * CHUNK, 17), KEY, CHUNK);
        byte[] spliced = a.clone();
        System.arraycopy(b, chunkOffset(1, CHUNK), spliced, chunkOffset(1, CHUNK), CHUNK + ChunkedCipher.TAG_SIZE_IN_BYTES);

        assertTampered(spliced);
        byte[] headerFromB = a.clone();
        System.arraycopy(b, 0, headerFromB, 0, ChunkedCipher.HEADER_SIZE_IN_BYTES);
        assertTampered(headerFromB);
    }

    @Test
    void decrypt_wrongKey_isTampered() {
        assertTampered(encrypt(random(40, 18), KEY, CHUNK), ChunkedCipher.newKey());
    }

    @Test
    void decrypt_changedHeaderFields_areTampered() {
        byte[] encrypted = encrypt(random(40, 19), KEY, CHUNK);
        byte[] otherFormat = encrypted.clone();
        otherFormat[4] = 2;
        byte[] otherChunkSize = encrypted.clone();
        otherChunkSize[8] = 32;
        byte[] hugeChunkSize = encrypted.clone();
        hugeChunkSize[5] = 0x7f;
        byte[] zeroChunkSize = encrypted.clone();
        zeroChunkSize[8] = 0;

        assertTampered(otherFormat);
        assertTampered(otherChunkSize);
        assertTampered(hugeChunkSize);
        assertTampered(zeroChunkSize);
    }

    @Test
    void decrypt_tamperedThirdChunk_writesOnlyTheAuthenticatedChunksBefore() {
        byte[] plain = random(4 * CHUNK + 3, 20);
        byte[] encrypted = encrypt(plain, KEY, CHUNK);
        encrypted[chunkOffset(2, CHUNK) + 3] ^= 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> ChunkedCipher.decrypt(new ByteArrayInputStream(encrypted), out, KEY))
                .isInstanceOf(FirmwareException.class);
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOf(plain, 2 * CHUNK));
    }

    @Test
    void encrypt_badKeyOrChunkSize_isRefusedBeforeWriting() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> ChunkedCipher.encrypt(InputStream.nullInputStream(), out, new byte[16], CHUNK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkedCipher.encrypt(InputStream.nullInputStream(), out, KEY, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkedCipher.encrypt(InputStream.nullInputStream(), out, KEY,
                ChunkedCipher.MAX_CHUNK_SIZE_IN_BYTES + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.size()).isZero();
    }

    @Test
    void encrypt_failingInput_isAnIoFirmwareException() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };

        assertThatThrownBy(() -> ChunkedCipher.encrypt(failing, OutputStream.nullOutputStream(), KEY, CHUNK))
                .isInstanceOfSatisfying(FirmwareException.class,
                        e -> assertThat(e.reason()).isEqualTo(FirmwareException.Reason.IO));
    }

    private static void assertTampered(byte[] encrypted) {
        assertTampered(encrypted, KEY);
    }

    private static void assertTampered(byte[] encrypted, byte[] key) {
        assertThatThrownBy(() -> decrypt(encrypted, key))
                .isInstanceOfSatisfying(FirmwareException.class,
                        e -> assertThat(e.reason()).isEqualTo(FirmwareException.Reason.TAMPERED));
    }

    /** A deterministic stream of {@code size} bytes that holds no more than one small buffer. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (mix(position++) & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) mix(position++);
            }
            return n;
        }

        private static long mix(long x) {
            x = (x ^ (x >>> 7)) * 0x9E3779B97F4A7C15L;
            return x ^ (x >>> 29);
        }
    }

    static final class CountingDigestOutput extends OutputStream {
        final MessageDigest digest = Sha512.newDigest();
        long count;

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }
    }
}
