package io.starconsole.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted image {@code image.enc}: a 17-byte header (magic "SCFW", format 1, chunk size u32,
 * 8-byte random nonce prefix), then chunks of AES-256-GCM ciphertext of up to chunk-size plain
 * bytes, each followed by its 16-byte tag. Chunk i uses nonce = prefix ‖ i (u32) and associated
 * data = header ‖ i (u32) ‖ last flag (1 only on the final chunk), so a changed, truncated,
 * reordered or spliced file fails authentication. The final chunk is the only one shorter than
 * the chunk size, or a full one; an empty image is one empty final chunk.
 *
 * <p>Memory use is bounded by the chunk size whatever the image size; decryption writes a chunk
 * only after its tag has verified.
 */
public final class ChunkedCipher {

    public static final int KEY_SIZE_IN_BYTES = 32;
    public static final int TAG_SIZE_IN_BYTES = 16;
    public static final int NONCE_PREFIX_SIZE_IN_BYTES = 8;
    public static final int HEADER_SIZE_IN_BYTES = 4 + 1 + 4 + NONCE_PREFIX_SIZE_IN_BYTES;
    public static final int DEFAULT_CHUNK_SIZE_IN_BYTES = 64 * 1024;
    /** Upper bound on a header's chunk size: a hostile header cannot make a reader allocate more. */
    public static final int MAX_CHUNK_SIZE_IN_BYTES = 8 * 1024 * 1024;
    public static final int FORMAT = 1;
    public static final String CIPHER_NAME = "AES-256-GCM-CHUNKED-1";

    private static final byte[] MAGIC = "SCFW".getBytes(StandardCharsets.US_ASCII);
    private static final int AAD_SIZE_IN_BYTES = HEADER_SIZE_IN_BYTES + 4 + 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChunkedCipher() {
    }

    /** A fresh per-release key: 32 random bytes. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_SIZE_IN_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The size of {@code image.enc} for an image of {@code plainSize} bytes. */
    public static long encryptedSize(long plainSize, int chunkSize) {
        checkChunkSize(chunkSize);
        long chunks = Math.max(1, (plainSize + chunkSize - 1) / chunkSize);
        return HEADER_SIZE_IN_BYTES + plainSize + chunks * TAG_SIZE_IN_BYTES;
    }

    /** Encrypts {@code plain} to its end into {@code out} (neither is closed). */
    public static void encrypt(InputStream plain, OutputStream out, byte[] key, int chunkSize) {
        checkKey(key);
        checkChunkSize(chunkSize);
        byte[] header = new byte[HEADER_SIZE_IN_BYTES];
        ByteBuffer.wrap(header).put(MAGIC).put((byte) FORMAT).putInt(chunkSize);
        byte[] noncePrefix = new byte[NONCE_PREFIX_SIZE_IN_BYTES];
        RANDOM.nextBytes(noncePrefix);
        System.arraycopy(noncePrefix, 0, header, 9, NONCE_PREFIX_SIZE_IN_BYTES);
        try {
            out.write(header);
            PushbackInputStream in = new PushbackInputStream(plain, 1);
            byte[] chunk = new byte[chunkSize];
            byte[] sealed = new byte[chunkSize + TAG_SIZE_IN_BYTES];
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec keySpec = new SecretKeySpec(key, "AES");
            for (long index = 0; ; index++) {
                int n = in.readNBytes(chunk, 0, chunkSize);
                boolean last = n < chunkSize || atEnd(in);
                cipher.init(Cipher.ENCRYPT_MODE, keySpec, nonce(noncePrefix, index));
                cipher.updateAAD(aad(header, index, last));
                int sealedLength = cipher.doFinal(chunk, 0, n, sealed, 0);
                out.write(sealed, 0, sealedLength);
                if (last) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new FirmwareException(FirmwareException.Reason.IO, "cannot encrypt the image", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    /**
     * Decrypts {@code encrypted} to its end into {@code plain} (neither is closed). Throws
     * {@link FirmwareException.Reason#TAMPERED} on any authentication failure; every chunk written
     * has been authenticated, but a caller must discard the output when this throws.
     */
    public static void decrypt(InputStream encrypted, OutputStream plain, byte[] key) {
        checkKey(key);
        try {
            byte[] header = encrypted.readNBytes(HEADER_SIZE_IN_BYTES);
            ByteBuffer h = ByteBuffer.wrap(header);
            if (header.length < HEADER_SIZE_IN_BYTES) {
                throw tampered("truncated header");
            }
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            int format = h.get() & 0xff;
            int chunkSize = h.getInt();
            if (!Arrays.equals(magic, MAGIC) || format != FORMAT || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE_IN_BYTES) {
                throw tampered("not a format 1 image header");
            }
            byte[] noncePrefix = Arrays.copyOfRange(header, 9, HEADER_SIZE_IN_BYTES);
            PushbackInputStream in = new PushbackInputStream(encrypted, 1);
            byte[] sealed = new byte[chunkSize + TAG_SIZE_IN_BYTES];
            byte[] chunk = new byte[chunkSize];
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec keySpec = new SecretKeySpec(key, "AES");
            for (long index = 0; ; index++) {
                int n = in.readNBytes(sealed, 0, sealed.length);
                if (n < TAG_SIZE_IN_BYTES) {
                    throw tampered("truncated image");
                }
                boolean last = n < sealed.length || atEnd(in);
                cipher.init(Cipher.DECRYPT_MODE, keySpec, nonce(noncePrefix, index));
                cipher.updateAAD(aad(header, index, last));
                int length;
                try {
                    length = cipher.doFinal(sealed, 0, n, chunk, 0);
                } catch (AEADBadTagException e) {
                    throw tampered("chunk " + index + " failed authentication");
                }
                plain.write(chunk, 0, length);
                if (last) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new FirmwareException(FirmwareException.Reason.IO, "cannot decrypt the image", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    private static boolean atEnd(PushbackInputStream in) throws IOException {
        int next = in.read();
        if (next == -1) {
            return true;
        }
        in.unread(next);
        return false;
    }

    private static GCMParameterSpec nonce(byte[] prefix, long index) {
        if (index > 0xffffffffL) {
            throw new FirmwareException(FirmwareException.Reason.IO, "image has too many chunks");
        }
        byte[] nonce = ByteBuffer.allocate(NONCE_PREFIX_SIZE_IN_BYTES + 4).put(prefix).putInt((int) index).array();
        return new GCMParameterSpec(TAG_SIZE_IN_BYTES * 8, nonce);
    }

    private static byte[] aad(byte[] header, long index, boolean last) {
        return ByteBuffer.allocate(AAD_SIZE_IN_BYTES).put(header).putInt((int) index).put((byte) (last ? 1 : 0)).array();
    }

    private static FirmwareException tampered(String message) {
        return new FirmwareException(FirmwareException.Reason.TAMPERED, message);
    }

    private static void checkKey(byte[] key) {
        if (key == null || key.length != KEY_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("the image key must be " + KEY_SIZE_IN_BYTES + " bytes");
        }
    }

    private static void checkChunkSize(int chunkSize) {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("chunk size must be 1.." + MAX_CHUNK_SIZE_IN_BYTES + " bytes");
        }
    }
}
