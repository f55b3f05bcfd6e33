package io.starconsole.protocol.crypto;

/**
 * X25519 (RFC 7748) with a variable base point: the Montgomery ladder over GF(2^255 - 19) in five
 * 51-bit limbs, a field multiplication being 25 limb products (see {@link #mul}: one integer and one
 * double-precision multiply each). See BENCHMARKS.md for the figures and {@code X25519LadderTest}
 * for the equality with BouncyCastle and RFC 7748.
 *
 * <p>Constant time: no branch and no memory index depends on the scalar or the point (conditional
 * swaps by mask, inversion by a fixed chain of squarings and multiplications).
 *
 * <p>Limb bounds: inputs to {@link #mul} and {@link #sqr} have limbs below 2^53, their outputs
 * below 2^51 + 2^16. Sums of two outputs stay below 2^52 and differences (computed as
 * {@code a + 2p - b}) below 2^53, so the ladder feeds them to {@code mul} without carrying.
 */
final class X25519Ladder {

    private static final long MASK_51 = (1L << 51) - 1;
    private static final double TWO_TO_MINUS_51 = 0x1p-51;
    /** (486662 - 2) / 4, the ladder's curve constant. */
    private static final long A24 = 121_665;
    /** 2p in limbs, added before a subtraction so that no limb goes negative. */
    private static final long TWO_P_0 = 0xFFFFFFFFFFFDAL;
    private static final long TWO_P_1234 = 0xFFFFFFFFFFFFEL;

    private X25519Ladder() {
    }

    /**
     * {@code out} = X25519(scalar, u): the scalar is clamped and the top bit of u ignored, as RFC
     * 7748 says; non-canonical u (≥ p) is taken modulo p.
     *
     * @return false if the result is all zeros (a low-order point), as BouncyCastle's
     *     {@code calculateAgreement}
     */
    static boolean sharedSecret(byte[] scalar, byte[] u, byte[] out) {
        long[] x1 = decode(u);
        long[] x2 = {1, 0, 0, 0, 0};
        long[] z2 = new long[5];
        long[] x3 = x1.clone();
        long[] z3 = {1, 0, 0, 0, 0};
        long[] a = new long[5];
        long[] aa = new long[5];
        long[] b = new long[5];
        long[] bb = new long[5];
        long[] e = new long[5];
        long[] c = new long[5];
        long[] d = new long[5];
        long[] da = new long[5];
        long[] cb = new long[5];
        long swap = 0;
        for (int t = 254; t >= 0; t--) {
            long bit = clampedScalarBit(scalar, t);
            swap ^= bit;
            conditionalSwap(swap, x2, x3);
            conditionalSwap(swap, z2, z3);
            swap = bit;

            add(a, x2, z2);
            sqr(aa, a);
            sub(b, x2, z2);
            sqr(bb, b);
            sub(e, aa, bb);
            add(c, x3, z3);
            sub(d, x3, z3);
            mul(da, d, a);
            mul(cb, c, b);
            add(x3, da, cb);
            sqr(x3, x3);
            sub(z3, da, cb);
            sqr(z3, z3);
            mul(z3, z3, x1);
            mul(x2, aa, bb);
            mulA24(z2, e);
            add(z2, z2, aa);
            mul(z2, z2, e);
        }
        conditionalSwap(swap, x2, x3);
        conditionalSwap(swap, z2, z3);
        invert(z2, z2);
        mul(x2, x2, z2);
        encode(x2, out);
        int any = 0;
        for (byte value : out) {
            any |= value;
        }
        return any != 0;
    }

    /** Bit {@code t} of the scalar after RFC 7748 clamping (bits 0-2 and 255 clear, bit 254 set). */
    private static long clampedScalarBit(byte[] scalar, int t) {
        if (t == 254) {
            return 1;
        }
        if (t < 3) {
            return 0;
        }
        return (scalar[t >>> 3] >>> (t & 7)) & 1;
    }

    static long[] decode(byte[] u) {
        long[] h = new long[5];
        long w0 = littleEndian64(u, 0);
        long w1 = littleEndian64(u, 8);
        long w2 = littleEndian64(u, 16);
        long w3 = littleEndian64(u, 24) & Long.MAX_VALUE; // the top bit of u is ignored
        h[0] = w0 & MASK_51;
        h[1] = ((w0 >>> 51) | (w1 << 13)) & MASK_51;
        h[2] = ((w1 >>> 38) | (w2 << 26)) & MASK_51;
        h[3] = ((w2 >>> 25) | (w3 << 39)) & MASK_51;
        h[4] = w3 >>> 12;
        return h;
    }

    /** Writes {@code h} mod p, fully reduced, as 32 little-endian bytes. */
    static void encode(long[] h, byte[] out) {
        long[] r = h.clone();
        carry(r);
        carry(r); // now every limb < 2^51 and r < 2^255
        long q = (r[0] + 19) >>> 51; // q = 1 exactly when r ≥ p
        q = (r[1] + q) >>> 51;
        q = (r[2] + q) >>> 51;
        q = (r[3] + q) >>> 51;
        q = (r[4] + q) >>> 51;
        r[0] += 19 * q; // r + 19q - 2^255 q = r - pq: the 2^255 is the carry out of limb 4, dropped
        r[1] += r[0] >>> 51;
        r[0] &= MASK_51;
        r[2] += r[1] >>> 51;
        r[1] &= MASK_51;
        r[3] += r[2] >>> 51;
        r[2] &= MASK_51;
        r[4] += r[3] >>> 51;
        r[3] &= MASK_51;
        r[4] &= MASK_51;
        long w0 = r[0] | (r[1] << 51);
        long w1 = (r[1] >>> 13) | (r[2] << 38);
        long w2 = (r[2] >>> 26) | (r[3] << 25);
        long w3 = (r[3] >>> 39) | (r[4] << 12);
        putLittleEndian64(w0, out, 0);
        putLittleEndian64(w1, out, 8);
        putLittleEndian64(w2, out, 16);
        putLittleEndian64(w3, out, 24);
    }

    /** One carry pass, the carry out of the top limb folded back times 19. */
    private static void carry(long[] r) {
        long c;
        c = r[0] >>> 51;
        r[0] &= MASK_51;
        r[1] += c;
        c = r[1] >>> 51;
        r[1] &= MASK_51;
        r[2] += c;
        c = r[2] >>> 51;
        r[2] &= MASK_51;
        r[3] += c;
        c = r[3] >>> 51;
        r[3] &= MASK_51;
        r[4] += c;
        c = r[4] >>> 51;
        r[4] &= MASK_51;
        r[0] += 19 * c;
    }

    private static void conditionalSwap(long swap, long[] a, long[] b) {
        long mask = -swap;
        for (int i = 0; i < 5; i++) {
            long t = mask & (a[i] ^ b[i]);
            a[i] ^= t;
            b[i] ^= t;
        }
    }

    private static void add(long[] r, long[] a, long[] b) {
        r[0] = a[0] + b[0];
        r[1] = a[1] + b[1];
        r[2] = a[2] + b[2];
        r[3] = a[3] + b[3];
        r[4] = a[4] + b[4];
    }

    /** a - b + 2p; b's limbs must be below 2p's (2^52 - 38), which every mul/sqr output is. */
    private static void sub(long[] r, long[] a, long[] b) {
        r[0] = a[0] + TWO_P_0 - b[0];
        r[1] = a[1] + TWO_P_1234 - b[1];
        r[2] = a[2] + TWO_P_1234 - b[2];
        r[3] = a[3] + TWO_P_1234 - b[3];
        r[4] = a[4] + TWO_P_1234 - b[4];
    }

    /** r = a * 121665; a's limbs below 2^53. */
    private static void mulA24(long[] r, long[] a) {
        long l0 = a[0] * A24;
        long l1 = a[1] * A24;
        long l2 = a[2] * A24;
        long l3 = a[3] * A24;
        long l4 = a[4] * A24;
        // Each product is below 2^70: the part above bit 51 comes from the high word too.
        long h0 = (Math.multiplyHigh(a[0], A24) << 13) | (l0 >>> 51);
        long h1 = (Math.multiplyHigh(a[1], A24) << 13) | (l1 >>> 51);
        long h2 = (Math.multiplyHigh(a[2], A24) << 13) | (l2 >>> 51);
        long h3 = (Math.multiplyHigh(a[3], A24) << 13) | (l3 >>> 51);
        long h4 = (Math.multiplyHigh(a[4], A24) << 13) | (l4 >>> 51);
        r[0] = (l0 & MASK_51) + 19 * h4;
        r[1] = (l1 & MASK_51) + h0;
        r[2] = (l2 & MASK_51) + h1;
        r[3] = (l3 & MASK_51) + h2;
        r[4] = (l4 & MASK_51) + h3;
    }

    /** r = a * b; limbs of a and b below 2^53; r may be a or b. */
    static void mul(long[] r, long[] a, long[] b) {
        long a0 = a[0];
        long a1 = a[1];
        long a2 = a[2];
        long a3 = a[3];
        long a4 = a[4];
        long b0 = b[0];
        long b1 = b[1];
        long b2 = b[2];
        long b3 = b[3];
        long b4 = b[4];
        long b1x19 = 19 * b1;
        long b2x19 = 19 * b2;
        long b3x19 = 19 * b3;
        long b4x19 = 19 * b4;
        double da0 = a0 * TWO_TO_MINUS_51;
        double da1 = a1 * TWO_TO_MINUS_51;
        double da2 = a2 * TWO_TO_MINUS_51;
        double da3 = a3 * TWO_TO_MINUS_51;
        double da4 = a4 * TWO_TO_MINUS_51;
        double db0 = b0;
        double db1 = b1;
        double db2 = b2;
        double db3 = b3;
        double db4 = b4;
        double db1x19 = b1x19;
        double db2x19 = b2x19;
        double db3x19 = b3x19;
        double db4x19 = b4x19;
        // Column k sums a_i * b_j with i + j = k (mod 5), wrapped products times 19, as lo_k + hi_k *
        // 2^51, exactly, with one integer multiply a product (the exact 128-bit product would take two):
        // hd_k sums the products over 2^51 in double precision (each below 2^59.3, the column below
        // 77 * 2^55; operands, products and sums rounded to 53 bits put it within 2^11 of the true
        // quotient, truncation included), lo_k sums the products' low 64 bits, wrapping. With hi_k the
        // truncated hd_k, lo_k - hi_k * 2^51 is the exact rest, a signed value below 2^62.
        long lo0;
        double hd0;
        lo0 = a0 * b0;
        hd0 = da0 * db0;
        lo0 += a1 * b4x19;
        hd0 += da1 * db4x19;
        lo0 += a2 * b3x19;
        hd0 += da2 * db3x19;
        lo0 += a3 * b2x19;
        hd0 += da3 * db2x19;
        lo0 += a4 * b1x19;
        hd0 += da4 * db1x19;

        long lo1;
        double hd1;
        lo1 = a0 * b1;
        hd1 = da0 * db1;
        lo1 += a1 * b0;
        hd1 += da1 * db0;
        lo1 += a2 * b4x19;
        hd1 += da2 * db4x19;
        lo1 += a3 * b3x19;
        hd1 += da3 * db3x19;
        lo1 += a4 * b2x19;
        hd1 += da4 * db2x19;

        long lo2;
        double hd2;
        lo2 = a0 * b2;
        hd2 = da0 * db2;
        lo2 += a1 * b1;
        hd2 += da1 * db1;
        lo2 += a2 * b0;
        hd2 += da2 * db0;
        lo2 += a3 * b4x19;
        hd2 += da3 * db4x19;
        lo2 += a4 * b3x19;
        hd2 += da4 * db3x19;

        long lo3;
        double hd3;
        lo3 = a0 * b3;
        hd3 = da0 * db3;
        lo3 += a1 * b2;
        hd3 += da1 * db2;
        lo3 += a2 * b1;
        hd3 += da2 * db1;
        lo3 += a3 * b0;
        hd3 += da3 * db0;
        lo3 += a4 * b4x19;
        hd3 += da4 * db4x19;

        long lo4;
        double hd4;
        lo4 = a0 * b4;
        hd4 = da0 * db4;
        lo4 += a1 * b3;
        hd4 += da1 * db3;
        lo4 += a2 * b2;
        hd4 += da2 * db2;
        lo4 += a3 * b1;
        hd4 += da3 * db1;
        lo4 += a4 * b0;
        hd4 += da4 * db0;
        long hi0 = (long) hd0;
        long hi1 = (long) hd1;
        long hi2 = (long) hd2;
        long hi3 = (long) hd3;
        long hi4 = (long) hd4;
        // lo_k held the products' low 64 bits, wrapping: less hi_k * 2^51 it is the exact rest
        reduce(r, lo0 - (hi0 << 51), hi0, lo1 - (hi1 << 51), hi1, lo2 - (hi2 << 51), hi2, lo3 - (hi3 << 51), hi3,
                lo4 - (hi4 << 51), hi4);
    }

    /** r = a^2; limbs of a below 2^53; r may be a. */
    static void sqr(long[] r, long[] a) {
        long a0 = a[0];
        long a1 = a[1];
        long a2 = a[2];
        long a3 = a[3];
        long a4 = a[4];
        long a0x2 = 2 * a0;
        long a1x2 = 2 * a1;
        long a2x2 = 2 * a2;
        long a3x19 = 19 * a3;
        long a4x19 = 19 * a4;
        long a3x38 = 2 * a3x19;
        double da0 = a0 * TWO_TO_MINUS_51;
        double da1 = a1 * TWO_TO_MINUS_51;
        double da2 = a2 * TWO_TO_MINUS_51;
        double da3 = a3 * TWO_TO_MINUS_51;
        double da4 = a4 * TWO_TO_MINUS_51;
        double da0x2 = a0x2 * TWO_TO_MINUS_51;
        double da1x2 = a1x2 * TWO_TO_MINUS_51;
        double da2x2 = a2x2 * TWO_TO_MINUS_51;
        double ea0 = a0;
        double ea1 = a1;
        double ea2 = a2;
        double ea3 = a3;
        double ea4 = a4;
        double ea3x19 = a3x19;
        double ea4x19 = a4x19;
        double ea3x38 = a3x38;
        // t0 = a0^2 + 38 a1 a4 + 38 a2 a3; t1 = 2 a0 a1 + 38 a2 a4 + 19 a3^2;
        // t2 = 2 a0 a2 + a1^2 + 38 a3 a4; t3 = 2 a0 a3 + 2 a1 a2 + 19 a4^2; t4 = 2 a0 a4 + 2 a1 a3 + a2^2
        // (taken as in mul: products below 2^60.3 * 2^51, the column below 77 * 2^55, within 2^11)
        long lo0;
        double hd0;
        lo0 = a0 * a0;
        hd0 = da0 * ea0;
        lo0 += a1x2 * a4x19;
        hd0 += da1x2 * ea4x19;
        lo0 += a2x2 * a3x19;
        hd0 += da2x2 * ea3x19;

        long lo1;
        double hd1;
        lo1 = a0x2 * a1;
        hd1 = da0x2 * ea1;
        lo1 += a2x2 * a4x19;
        hd1 += da2x2 * ea4x19;
        lo1 += a3 * a3x19;
        hd1 += da3 * ea3x19;

        long lo2;
        double hd2;
        lo2 = a0x2 * a2;
        hd2 = da0x2 * ea2;
        lo2 += a1 * a1;
        hd2 += da1 * ea1;
        lo2 += a4 * a3x38;
        hd2 += da4 * ea3x38;

        long lo3;
        double hd3;
        lo3 = a0x2 * a3;
        hd3 = da0x2 * ea3;
        lo3 += a1x2 * a2;
        hd3 += da1x2 * ea2;
        lo3 += a4 * a4x19;
        hd3 += da4 * ea4x19;

        long lo4;
        double hd4;
        lo4 = a0x2 * a4;
        hd4 = da0x2 * ea4;
        lo4 += a1x2 * a3;
        hd4 += da1x2 * ea3;
        lo4 += a2 * a2;
        hd4 += da2 * ea2;
        long hi0 = (long) hd0;
        long hi1 = (long) hd1;
        long hi2 = (long) hd2;
        long hi3 = (long) hd3;
        long hi4 = (long) hd4;
        // lo_k held the products' low 64 bits, wrapping: less hi_k * 2^51 it is the exact rest
        reduce(r, lo0 - (hi0 << 51), hi0, lo1 - (hi1 << 51), hi1, lo2 - (hi2 << 51), hi2, lo3 - (hi3 << 51), hi3,
                lo4 - (hi4 << 51), hi4);
    }

    /**
     * Column k is lo_k + hi_k * 2^51 (lo_k signed); carries them into limbs below 2^51 (limb 1 below
     * 2^51 + 2^16), folding what passes 2^255 back times 19 in two parts so that nothing overflows.
     * The carries are floors (arithmetic shifts), so the limbs end non-negative and the multiple of
     * 2^255 is that of the product, which is not negative.
     */
    private static void reduce(long[] r, long lo0, long hi0, long lo1, long hi1, long lo2, long hi2, long lo3,
            long hi3, long lo4, long hi4) {
        long r0 = lo0;
        long r1 = lo1 + hi0 + (r0 >> 51);
        r0 &= MASK_51;
        long r2 = lo2 + hi1 + (r1 >> 51);
        r1 &= MASK_51;
        long r3 = lo3 + hi2 + (r2 >> 51);
        r2 &= MASK_51;
        long r4 = lo4 + hi3 + (r3 >> 51);
        r3 &= MASK_51;
        long top = hi4 + (r4 >> 51); // the multiple of 2^255, below 2^62
        r4 &= MASK_51;
        r0 += 19 * (top & MASK_51);
        r1 += 19 * (top >>> 51);
        r1 += r0 >>> 51;
        r0 &= MASK_51;
        r[0] = r0;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
    }

    /** r = z^(p - 2) = 1/z (0 for z = 0), by the usual chain of 254 squarings and 11 multiplications. */
    static void invert(long[] r, long[] z) {
        long[] z2 = new long[5];
        long[] z9 = new long[5];
        long[] z11 = new long[5];
        long[] t = new long[5];
        long[] z2to5 = new long[5];
        long[] z2to10 = new long[5];
        long[] z2to20 = new long[5];
        long[] z2to50 = new long[5];
        long[] z2to100 = new long[5];
        sqr(z2, z);                       // 2
        sqr(t, z2);                       // 4
        sqr(t, t);                        // 8
        mul(z9, t, z);                    // 9
        mul(z11, z9, z2);                 // 11
        sqr(t, z11);                      // 22
        mul(z2to5, t, z9);                // 2^5 - 1
        squareTimes(t, z2to5, 5);
        mul(z2to10, t, z2to5);            // 2^10 - 1
        squareTimes(t, z2to10, 10);
        mul(z2to20, t, z2to10);           // 2^20 - 1
        squareTimes(t, z2to20, 20);
        mul(t, t, z2to20);                // 2^40 - 1
        squareTimes(t, t, 10);
        mul(z2to50, t, z2to10);           // 2^50 - 1
        squareTimes(t, z2to50, 50);
        mul(z2to100, t, z2to50);          // 2^100 - 1
        squareTimes(t, z2to100, 100);
        mul(t, t, z2to100);               // 2^200 - 1
        squareTimes(t, t, 50);
        mul(t, t, z2to50);                // 2^250 - 1
        squareTimes(t, t, 5);             // 2^255 - 2^5
        mul(r, t, z11);                   // 2^255 - 21 = p - 2
    }

    private static void squareTimes(long[] r, long[] a, int times) {
        sqr(r, a);
        for (int i = 1; i < times; i++) {
            sqr(r, r);
        }
    }

    private static long littleEndian64(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static void putLittleEndian64(long value, byte[] out, int offset) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
