package io.starconsole.protocol.crypto;

import io.starconsole.protocol.codec.ProtocolException;
import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439), written here so that re-keying costs nothing: the JDK's ciphers
 * allocate a key schedule and a mode engine on every {@code init}, and a server that serves every
 * session from one cipher per thread re-keys on every datagram (3.4–5.8 KB of garbage a PING's seal
 * and open, JDK 25 and 17). This one keeps its working state in a per-thread scratch, wiped after
 * each call, and allocates nothing. Input and output may be the same array at the same offset, or
 * must not overlap.
 * Constant-time by construction: additions, rotations and XORs on ints for ChaCha20, 64-bit
 * multiplications of 26-bit limbs for Poly1305, no table lookups and no branch on secret data; the
 * tag is compared without an early exit. Checked against the JDK's own ChaCha20-Poly1305.
 */
public final class ChaChaPoly {

    public static final int KEY_SIZE_IN_BYTES = 32;
    public static final int NONCE_SIZE_IN_BYTES = 12;
    public static final int TAG_SIZE_IN_BYTES = 16;

    private static final int LIMB_MASK = 0x3ffffff;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ChaChaPoly() {
    }

    /** Writes {@code inLength + TAG_SIZE_IN_BYTES} bytes at {@code out[outOffset]}; returns that count. */
    public static int seal(byte[] key, byte[] nonce, byte[] ad, int adOffset, int adLength,
            byte[] in, int inOffset, int inLength, byte[] out, int outOffset) {
        checkSizes(key, nonce);
        Scratch scratch = SCRATCH.get();
        scratch.start(key, nonce);
        scratch.xorKeyStream(in, inOffset, inLength, out, outOffset);
        scratch.authenticate(ad, adOffset, adLength, out, outOffset, inLength);
        System.arraycopy(scratch.tag, 0, out, outOffset + inLength, TAG_SIZE_IN_BYTES);
        scratch.clear();
        return inLength + TAG_SIZE_IN_BYTES;
    }

    /**
     * Checks the tag of ciphertext || tag, then writes {@code inLength - TAG_SIZE_IN_BYTES} bytes of
     * plaintext at {@code out[outOffset]} and returns that count. A wrong tag writes nothing and is
     * {@link ProtocolException.Reason#AUTHENTICATION_FAILED}.
     */
    public static int open(byte[] key, byte[] nonce, byte[] ad, int adOffset, int adLength,
            byte[] in, int inOffset, int inLength, byte[] out, int outOffset) throws ProtocolException {
        checkSizes(key, nonce);
        if (inLength < TAG_SIZE_IN_BYTES) {
            throw new ProtocolException(ProtocolException.Reason.TRUNCATED, "ciphertext shorter than tag");
        }
        int length = inLength - TAG_SIZE_IN_BYTES;
        Scratch scratch = SCRATCH.get();
        scratch.start(key, nonce);
        scratch.authenticate(ad, adOffset, adLength, in, inOffset, length);
        int difference = 0;
        for (int i = 0; i < TAG_SIZE_IN_BYTES; i++) {
            difference |= scratch.tag[i] ^ in[inOffset + length + i];
        }
        if (difference != 0) {
            scratch.clear();
            throw new ProtocolException(ProtocolException.Reason.AUTHENTICATION_FAILED, "bad tag");
        }
        scratch.xorKeyStream(in, inOffset, length, out, outOffset);
        scratch.clear();
        return length;
    }

    /** Poly1305 of whole 16-byte blocks under a 32-byte one-time key, for the tests' edge cases. */
    static byte[] poly1305OfBlocks(byte[] oneTimeKey, byte[] blocks) {
        if (oneTimeKey.length != 32 || blocks.length % 16 != 0) {
            throw new IllegalArgumentException("a 32-byte key and whole 16-byte blocks");
        }
        Scratch scratch = new Scratch();
        scratch.startPoly1305(littleEndianInt(oneTimeKey, 0), littleEndianInt(oneTimeKey, 4), littleEndianInt(oneTimeKey, 8),
                littleEndianInt(oneTimeKey, 12), littleEndianInt(oneTimeKey, 16), littleEndianInt(oneTimeKey, 20),
                littleEndianInt(oneTimeKey, 24), littleEndianInt(oneTimeKey, 28));
        scratch.absorbPadded(blocks, 0, blocks.length);
        scratch.finish();
        return scratch.tag.clone();
    }

    private static void checkSizes(byte[] key, byte[] nonce) {
        if (key.length != KEY_SIZE_IN_BYTES || nonce.length != NONCE_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 32-byte key and a 12-byte nonce");
        }
    }

    private static int littleEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8 | (b[offset + 2] & 0xff) << 16 | (b[offset + 3] & 0xff) << 24;
    }

    private static void writeLittleEndianInt(byte[] b, int offset, int value) {
        b[offset] = (byte) value;
        b[offset + 1] = (byte) (value >>> 8);
        b[offset + 2] = (byte) (value >>> 16);
        b[offset + 3] = (byte) (value >>> 24);
    }

    /** One thread's working state: the ChaCha20 input words, a key-stream block, the Poly1305 state. */
    private static final class Scratch {
        private final int[] input = new int[16];
        private final int[] block = new int[16];
        private final byte[] padded = new byte[16];
        private final byte[] tag = new byte[TAG_SIZE_IN_BYTES];
        private long r0, r1, r2, r3, r4;
        private long h0, h1, h2, h3, h4;
        private int pad0, pad1, pad2, pad3;

        /** Sets key and nonce, counter 0, and takes the Poly1305 one-time key from block 0. */
        void start(byte[] key, byte[] nonce) {
            input[0] = 0x61707865;
            input[1] = 0x3320646e;
            input[2] = 0x79622d32;
            input[3] = 0x6b206574;
            for (int i = 0; i < 8; i++) {
                input[4 + i] = littleEndianInt(key, 4 * i);
            }
            input[12] = 0;
            input[13] = littleEndianInt(nonce, 0);
            input[14] = littleEndianInt(nonce, 4);
            input[15] = littleEndianInt(nonce, 8);
            chachaBlock();
            startPoly1305(block[0], block[1], block[2], block[3], block[4], block[5], block[6], block[7]);
            input[12] = 1;
        }

        /** Poly1305 with the one-time key r ‖ s given as little-endian words. */
        void startPoly1305(int t0, int t1, int t2, int t3, int s0, int s1, int s2, int s3) {
            // r is clamped as RFC 8439 asks, then split into five 26-bit limbs.
            r0 = t0 & 0x3ffffff;
            r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
            r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
            r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
            r4 = (t3 >>> 8) & 0x00fffff;
            pad0 = s0;
            pad1 = s1;
            pad2 = s2;
            pad3 = s3;
            h0 = 0;
            h1 = 0;
            h2 = 0;
            h3 = 0;
            h4 = 0;
        }

        /** ChaCha20 from counter 1: out = in XOR key stream. Same offsets or no overlap. */
        void xorKeyStream(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
            int done = 0;
            while (done < length) {
                chachaBlock();
                input[12]++;
                int chunk = Math.min(64, length - done);
                int word = 0;
                for (; word * 4 + 4 <= chunk; word++) {
                    int at = done + word * 4;
                    writeLittleEndianInt(out, outOffset + at, littleEndianInt(in, inOffset + at) ^ block[word]);
                }
                for (int i = word * 4; i < chunk; i++) {
                    out[outOffset + done + i] = (byte) (in[inOffset + done + i] ^ (block[i >>> 2] >>> (8 * (i & 3))));
                }
                done += chunk;
            }
        }

        /** The tag of ad and ciphertext into {@link #tag}: Poly1305 over ad ‖ pad ‖ ct ‖ pad ‖ lengths. */
        void authenticate(byte[] ad, int adOffset, int adLength, byte[] ciphertext, int offset, int length) {
            absorbPadded(ad, adOffset, adLength);
            absorbPadded(ciphertext, offset, length);
            for (int i = 0; i < 8; i++) {
                padded[i] = (byte) ((long) adLength >>> (8 * i));
                padded[8 + i] = (byte) ((long) length >>> (8 * i));
            }
            absorb(padded, 0);
            finish();
        }

        void clear() {
            Arrays.fill(input, 0);
            Arrays.fill(block, 0);
            Arrays.fill(padded, (byte) 0);
            Arrays.fill(tag, (byte) 0);
            r0 = r1 = r2 = r3 = r4 = 0;
            h0 = h1 = h2 = h3 = h4 = 0;
            pad0 = pad1 = pad2 = pad3 = 0;
        }

        void absorbPadded(byte[] data, int offset, int length) {
            int full = length & ~15;
            for (int i = 0; i < full; i += 16) {
                absorb(data, offset + i);
            }
            int rest = length - full;
            if (rest > 0) {
                Arrays.fill(padded, (byte) 0);
                System.arraycopy(data, offset + full, padded, 0, rest);
                absorb(padded, 0);
            }
        }

        /** h = (h + block + 2^128) * r mod 2^130 - 5, limbs only partly reduced. */
        private void absorb(byte[] data, int offset) {
            int t0 = littleEndianInt(data, offset);
            int t1 = littleEndianInt(data, offset + 4);
            int t2 = littleEndianInt(data, offset + 8);
            int t3 = littleEndianInt(data, offset + 12);
            long a0 = h0 + (t0 & LIMB_MASK);
            long a1 = h1 + (((t0 >>> 26) | (t1 << 6)) & LIMB_MASK);
            long a2 = h2 + (((t1 >>> 20) | (t2 << 12)) & LIMB_MASK);
            long a3 = h3 + (((t2 >>> 14) | (t3 << 18)) & LIMB_MASK);
            long a4 = h4 + ((t3 >>> 8) | (1 << 24));
            long s1 = r1 * 5;
            long s2 = r2 * 5;
            long s3 = r3 * 5;
            long s4 = r4 * 5;
            long d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
            long d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
            long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
            long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
            long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;
            long carry = d0 >>> 26;
            h0 = d0 & LIMB_MASK;
            d1 += carry;
            carry = d1 >>> 26;
            h1 = d1 & LIMB_MASK;
            d2 += carry;
            carry = d2 >>> 26;
            h2 = d2 & LIMB_MASK;
            d3 += carry;
            carry = d3 >>> 26;
            h3 = d3 & LIMB_MASK;
            d4 += carry;
            carry = d4 >>> 26;
            h4 = d4 & LIMB_MASK;
            h0 += carry * 5;
            carry = h0 >>> 26;
            h0 &= LIMB_MASK;
            h1 += carry;
        }

        /** Reduces h fully mod 2^130 - 5, adds the pad mod 2^128, writes the tag. */
        void finish() {
            long carry = h1 >>> 26;
            h1 &= LIMB_MASK;
            h2 += carry;
            carry = h2 >>> 26;
            h2 &= LIMB_MASK;
            h3 += carry;
            carry = h3 >>> 26;
            h3 &= LIMB_MASK;
            h4 += carry;
            carry = h4 >>> 26;
            h4 &= LIMB_MASK;
            h0 += carry * 5;
            carry = h0 >>> 26;
            h0 &= LIMB_MASK;
            h1 += carry;
            // g = h - (2^130 - 5); keep g when it did not go negative (h >= p), else h.
            long g0 = h0 + 5;
            carry = g0 >>> 26;
            g0 &= LIMB_MASK;
            long g1 = h1 + carry;
            carry = g1 >>> 26;
            g1 &= LIMB_MASK;
            long g2 = h2 + carry;
            carry = g2 >>> 26;
            g2 &= LIMB_MASK;
            long g3 = h3 + carry;
            carry = g3 >>> 26;
            g3 &= LIMB_MASK;
            long g4 = h4 + carry - (1L << 26);
            long keepG = (g4 >>> 63) - 1;
            long keepH = ~keepG;
            long f0 = (h0 & keepH) | (g0 & keepG);
            long f1 = (h1 & keepH) | (g1 & keepG);
            long f2 = (h2 & keepH) | (g2 & keepG);
            long f3 = (h3 & keepH) | (g3 & keepG);
            long f4 = (h4 & keepH) | (g4 & keepG);
            // Limbs to 32-bit words by adding, not OR-ing, so a limb of exactly 2^26 still carries.
            long packed = f0 + (f1 << 26);
            long w0 = packed & 0xffffffffL;
            packed = (packed >>> 32) + (f2 << 20);
            long w1 = packed & 0xffffffffL;
            packed = (packed >>> 32) + (f3 << 14);
            long w2 = packed & 0xffffffffL;
            packed = (packed >>> 32) + (f4 << 8);
            long w3 = packed & 0xffffffffL;
            long sum = w0 + (pad0 & 0xffffffffL);
            writeLittleEndianInt(tag, 0, (int) sum);
            sum = w1 + (pad1 & 0xffffffffL) + (sum >>> 32);
            writeLittleEndianInt(tag, 4, (int) sum);
            sum = w2 + (pad2 & 0xffffffffL) + (sum >>> 32);
            writeLittleEndianInt(tag, 8, (int) sum);
            sum = w3 + (pad3 & 0xffffffffL) + (sum >>> 32);
            writeLittleEndianInt(tag, 12, (int) sum);
        }

        /** block = ChaCha20(input): 20 rounds, then the input added word by word. */
        private void chachaBlock() {
            int x0 = input[0], x1 = input[1], x2 = input[2], x3 = input[3];
            int x4 = input[4], x5 = input[5], x6 = input[6], x7 = input[7];
            int x8 = input[8], x9 = input[9], x10 = input[10], x11 = input[11];
            int x12 = input[12], x13 = input[13], x14 = input[14], x15 = input[15];
            for (int round = 0; round < 10; round++) {
                // Columns.
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // Diagonals.
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            block[0] = x0 + input[0];
            block[1] = x1 + input[1];
            block[2] = x2 + input[2];
            block[3] = x3 + input[3];
            block[4] = x4 + input[4];
            block[5] = x5 + input[5];
            block[6] = x6 + input[6];
            block[7] = x7 + input[7];
            block[8] = x8 + input[8];
            block[9] = x9 + input[9];
            block[10] = x10 + input[10];
            block[11] = x11 + input[11];
            block[12] = x12 + input[12];
            block[13] = x13 + input[13];
            block[14] = x14 + input[14];
            block[15] = x15 + input[15];
        }
    }
}
