package io.starconsole.protocol.crypto;

import io.starconsole.protocol.codec.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The protocol version a datagram's first byte names, and with it the AEAD of everything it
 * carries: handshake, cookie reply and transport. JEDI/3 differs from JEDI/2 only in the AEAD
 * (ChaCha20-Poly1305 instead of AES-256-GCM) and so in the Noise protocol name and prologue; an
 * edge speaks both, each session the version of the handshake that made it.
 */
public enum JediVersion {

    /** AES-256-GCM from the JDK: its ciphers allocate a key schedule on every re-key. */
    JEDI_2(0x02, "Noise_IK_25519_AESGCM_SHA256", "JEDI/2"),
    /** ChaCha20-Poly1305 ({@link ChaChaPoly}): nothing allocated per datagram. */
    JEDI_3(0x03, "Noise_IK_25519_ChaChaPoly_SHA256", "JEDI/3");

    /** What boxes speak unless configured otherwise. */
    public static final JediVersion CURRENT = JEDI_3;
    public static final int KEY_SIZE_IN_BYTES = 32;
    public static final int NONCE_SIZE_IN_BYTES = 12;
    public static final int TAG_SIZE_IN_BYTES = 16;

    private final int wireByte;
    private final String protocolName;
    private final String prologue;

    JediVersion(int wireByte, String protocolName, String prologue) {
        this.wireByte = wireByte;
        this.protocolName = protocolName;
        this.prologue = prologue;
    }

    /** The version of a datagram's first byte, or null when no version has that byte. */
    public static JediVersion ofWireByte(int wireByte) {
        // A switch, not a search of values(): that clones the array, and this runs for every datagram.
        return switch (wireByte) {
            case 0x02 -> JEDI_2;
            case 0x03 -> JEDI_3;
            default -> null;
        };
    }

    /** The version a box's configuration names: "2" or "3". */
    public static JediVersion ofNumber(String number) {
        return switch (number.trim()) {
            case "2" -> JEDI_2;
            case "3" -> JEDI_3;
            default -> throw new IllegalArgumentException("JEDI version must be 2 or 3, not '" + number + "'");
        };
    }

    public int wireByte() {
        return wireByte;
    }

    /**
     * The Noise protocol name, used as the initial hash and chaining key as it is: JEDI/3's is 32
     * bytes, as Noise has it; JEDI/2's is 28 and was never padded to 32 as Noise asks (kept: boxes
     * in the field speak it; docs/protocol.md 3.1).
     */
    public byte[] protocolName() {
        return protocolName.getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] prologue() {
        return prologue.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The Noise nonce of a 64-bit counter: 4 zero bytes, then the counter, big-endian for AESGCM and
     * little-endian for ChaChaPoly (the Noise specification's two encodings).
     */
    public byte[] nonce(long counter) {
        if (this == JEDI_2) {
            return Aead.nonce(counter);
        }
        byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        return nonce;
    }

    /** Encrypts {@code plaintext}; returns ciphertext || tag. */
    public byte[] seal(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) {
        byte[] out = new byte[plaintext.length + TAG_SIZE_IN_BYTES];
        seal(key, nonce, ad, 0, ad.length, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /** Decrypts ciphertext || tag; a wrong tag is {@link ProtocolException.Reason#AUTHENTICATION_FAILED}. */
    public byte[] open(byte[] key, byte[] nonce, byte[] ad, byte[] ciphertext) throws ProtocolException {
        if (ciphertext.length < TAG_SIZE_IN_BYTES) {
            throw new ProtocolException(ProtocolException.Reason.TRUNCATED, "ciphertext shorter than tag");
        }
        byte[] out = new byte[ciphertext.length - TAG_SIZE_IN_BYTES];
        open(key, nonce, ad, 0, ad.length, ciphertext, 0, ciphertext.length, out, 0);
        return out;
    }

    /** Writes {@code inLength + TAG_SIZE_IN_BYTES} bytes at {@code out[outOffset]}; returns that count. */
    public int seal(byte[] key, byte[] nonce, byte[] ad, int adOffset, int adLength,
            byte[] in, int inOffset, int inLength, byte[] out, int outOffset) {
        return this == JEDI_2
                ? Aead.seal(key, nonce, ad, adOffset, adLength, in, inOffset, inLength, out, outOffset)
                : ChaChaPoly.seal(key, nonce, ad, adOffset, adLength, in, inOffset, inLength, out, outOffset);
    }

    /** Writes {@code inLength - TAG_SIZE_IN_BYTES} bytes at {@code out[outOffset]}; returns that count. */
    public int open(byte[] key, byte[] nonce, byte[] ad, int adOffset, int adLength,
            byte[] in, int inOffset, int inLength, byte[] out, int outOffset) throws ProtocolException {
        return this == JEDI_2
                ? Aead.open(key, nonce, ad, adOffset, adLength, in, inOffset, inLength, out, outOffset)
                : ChaChaPoly.open(key, nonce, ad, adOffset, adLength, in, inOffset, inLength, out, outOffset);
    }

    @Override
    public String toString() {
        return prologue;
    }
}
