package io.starconsole.protocol.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte X25519 key (public or private), as {@code wg} prints it in base64. Immutable apart from
 * {@link #destroy()}; copies on the way in and out; constant-time {@code equals}. {@code toString}
 * never shows the key: use {@link #toBase64()} for public keys.
 */
public final class Key {

    public static final int SIZE_IN_BYTES = 32;
    public static final int BASE64_LENGTH = 44;

    private final byte[] bytes;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Key fromBytes(byte[] bytes) throws KeyFormatException {
        if (bytes.length != SIZE_IN_BYTES) {
            throw new KeyFormatException(KeyFormatException.Format.BINARY, KeyFormatException.Type.LENGTH);
        }
        return new Key(bytes.clone());
    }

    /** A copy of 32 bytes known to be a key (e.g. computed); a wrong length is a programming error. */
    public static Key copyOf(byte[] bytes) {
        if (bytes.length != SIZE_IN_BYTES) {
            throw new IllegalArgumentException("key must be 32 bytes");
        }
        return new Key(bytes.clone());
    }

    public static Key fromBase64(String text) throws KeyFormatException {
        if (text.length() != BASE64_LENGTH || text.charAt(BASE64_LENGTH - 1) != '=') {
            throw new KeyFormatException(KeyFormatException.Format.BASE64, KeyFormatException.Type.LENGTH);
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(text);
            if (decoded.length != SIZE_IN_BYTES || !Base64.getEncoder().encodeToString(decoded).equals(text)) {
                throw new KeyFormatException(KeyFormatException.Format.BASE64, KeyFormatException.Type.CONTENTS);
            }
            return new Key(decoded);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(KeyFormatException.Format.BASE64, KeyFormatException.Type.CONTENTS);
        }
    }

    public static Key fromHex(String text) throws KeyFormatException {
        if (text.length() != SIZE_IN_BYTES * 2) {
            throw new KeyFormatException(KeyFormatException.Format.HEX, KeyFormatException.Type.LENGTH);
        }
        try {
            return new Key(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(KeyFormatException.Format.HEX, KeyFormatException.Type.CONTENTS);
        }
    }

    /** A copy of the 32 bytes. */
    public byte[] getBytes() {
        return bytes.clone();
    }

    /** The internal array, for this library's crypto code only: never modify or keep it. */
    byte[] bytesForCrypto() {
        return bytes;
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Overwrites the key with zeros (for private keys at end of use). */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Key key && MessageDigest.isEqual(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
    }

    @Override
    public String toString() {
        return "Key[32 bytes]";
    }
}
