package io.starconsole.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The 51-bit ladder gives BouncyCastle's result, byte for byte, on RFC 7748's vectors and on many
 * random scalars and points, including unclamped scalars, u with the top bit set, non-canonical u
 * (≥ p) and low-order points; its field arithmetic equals BigInteger's at the limbs where the
 * double-precision quotients of {@code mul} and {@code sqr} err most and at the largest limbs the
 * ladder step can produce.
 */
class X25519LadderTest {

    private static final HexFormat HEX = HexFormat.of();
    /** p = 2^255 - 19, little-endian. */
    private static final byte[] P = HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    private static final BigInteger FIELD_P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** The largest limb mul and sqr take: their operands' limbs are below 2^53. */
    private static final long TOP = (1L << 53) - 1;
    /** The largest limbs mul and sqr return: limb 1 below 2^51 + 2^16, the others below 2^51. */
    private static final long[] OUTPUT_MAX = {
        (1L << 51) - 1, (1L << 51) + (1L << 16) - 1, (1L << 51) - 1, (1L << 51) - 1, (1L << 51) - 1,
    };
    /**
     * The largest limb a ladder step passes to mul or sqr when its state is within OUTPUT_MAX:
     * limb 1 of a difference x + 2p - z, about 3 * 2^51. Sums reach 2^52 + 2^17 at most and
     * a24 * e + aa about 2^52 + 2^23.
     */
    private static final long LADDER_OPERAND_MAX = OUTPUT_MAX[1] + (1L << 52) - 2;
    /** 2p in limbs: a subtrahend's limbs must not pass these. */
    private static final long[] TWO_P = {(1L << 52) - 38, (1L << 52) - 2, (1L << 52) - 2, (1L << 52) - 2, (1L << 52) - 2};
    /**
     * Operands of mul, a's five limbs then b's, each TOP less the number given, at which the double
     * estimate of one column's quotient by 2^51 is furthest above (+) or below (-) the exact
     * quotient: found by a hill-climbing search over the column sums rounded exactly as mul rounds
     * them, which drives nearly every rounding of a column the same way. Bounding each rounding by
     * half an ulp caps column 0's error at 1,092 (units of 2^51 in the column); mul stays exact
     * while the errors stay below about 2,800 (column 1's rest plus column 0's quotient, up to
     * 1,232 times 2^51, must stay below 2^63).
     */
    private static final long[][] MUL_WORST_ROUNDING = {
        {353264, 917615, 168911, 842479, 760148, 631613, 973231, 416180, 193460, 867678}, // column 0, +1060
        {852081, 651370, 49514, 2305925, 396650, 147485, 798223, 844042, 507530, 1130890}, // column 0, -1056
        {266466, 1039809, 744751, 703092, 619215, 1010909, 505485, 272111, 692783, 663087}, // column 1, +704
        {48705, 473302, 617226, 1961866, 657706, 732312, 431452, 1344970, 358479, 782671}, // column 1, -692
        {296309, 56458, 24, 516175, 9903, 654872, 593235, 520459, 139636, 26356}, // column 2, +452
        {1177547, 353847, 58021, 1866, 1449893, 164649, 554983, 65905, 1246223, 939402}, // column 2, -440
        {419205, 968079, 742621, 260466, 164559, 85198, 535187, 264492, 468669, 430831}, // column 3, +212
        {798213, 584659, 624731, 569925, 997194, 1004215, 1300589, 362705, 392790, 1141327}, // column 3, -208
        {373770, 320298, 213733, 1217897, 710863, 418187, 5543, 881179, 23127, 626106}, // column 4, +36
        {2399433, 1394921, 1232853, 2186225, 1602734, 606404, 659563, 1456255, 3009495, 883362}, // column 4, -36
    };
    /** The same for sqr (operand a only); column 0's error is capped at 900. */
    private static final long[][] SQR_WORST_ROUNDING = {
        {539055, 988495, 351503, 283631, 63983}, // column 0, +896
        {876751, 1110922, 297034, 670031, 498383}, // column 0, -880
        {613410, 716588, 236847, 293167, 686319}, // column 1, +512
        {45560, 709686, 491690, 1540815, 1194639}, // column 1, -504
        {210849, 155991, 741302, 381551, 24591}, // column 2, +392
        {598830, 357129, 454933, 2278351, 596170}, // column 2, -384
        {224706, 426509, 19854, 3272, 879}, // column 3, +200
        {423918, 668592, 1060187, 148506, 4268938}, // column 3, -192
        {178, 25, 25081, 2859, 1535}, // column 4, +24
        {8985535, 6795675, 5868673, 6849190, 5484543}, // column 4, -24
    };
    private static final MethodHandle ADD = fieldOperation("add", long[].class, long[].class, long[].class);
    private static final MethodHandle SUB = fieldOperation("sub", long[].class, long[].class, long[].class);
    private static final MethodHandle MUL_A24 = fieldOperation("mulA24", long[].class, long[].class);

    @ParameterizedTest
    @CsvSource({
        // RFC 7748 section 5.2
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4,"
            + "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c,"
            + "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d,"
            + "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493,"
            + "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        // RFC 7748 section 6.1: Alice's and Bob's public keys, then their shared secret
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a,"
            + "0900000000000000000000000000000000000000000000000000000000000000,"
            + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb,"
            + "0900000000000000000000000000000000000000000000000000000000000000,"
            + "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a,"
            + "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f,"
            + "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
    })
    void rfc7748Vectors(String scalar, String u, String expected) {
        byte[] out = new byte[32];

        boolean nonZero = X25519Ladder.sharedSecret(HEX.parseHex(scalar), HEX.parseHex(u), out);

        assertThat(HEX.formatHex(out)).isEqualTo(expected);
        assertThat(nonZero).isTrue();
    }

    @Test
    void rfc7748IteratedVector_after1000Iterations() {
        byte[] k = HEX.parseHex("0900000000000000000000000000000000000000000000000000000000000000");
        byte[] u = k.clone();
        for (int i = 0; i < 1000; i++) {
            byte[] next = new byte[32];
            X25519Ladder.sharedSecret(k, u, next);
            u = k;
            k = next;
        }
        assertThat(HEX.formatHex(k)).isEqualTo("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
    }

    @Test
    void randomScalarsAndPoints_matchBouncyCastle() {
        SplittableRandom random = new SplittableRandom(20261126);
        for (int i = 0; i < 20_000; i++) {
            byte[] scalar = randomBytes(random);
            byte[] u = randomBytes(random);
            assertSameAsBouncyCastle(scalar, u);
        }
    }

    @Test
    void edgeCasePoints_matchBouncyCastle() {
        SplittableRandom random = new SplittableRandom(7748);
        byte[][] points = {
            new byte[32],                                   // 0: low order, all-zero result
            littleEndian(1),                                // low order
            P.clone(),                                      // p ≡ 0
            addSmall(P, 1),                                 // p + 1 ≡ 1
            addSmall(P, 9),                                 // ≡ the base point, non-canonical
            addSmall(P, 18),                                // 2^255 - 1 with the top bit clear
            filled(0xFF),                                   // all ones: top bit ignored, then ≥ p
            HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"), // order 8
            HEX.parseHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"), // order 8
            HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // p - 1
        };
        for (byte[] u : points) {
            for (int i = 0; i < 200; i++) {
                assertSameAsBouncyCastle(randomBytes(random), u);
            }
            assertSameAsBouncyCastle(filled(0xFF), u);
            assertSameAsBouncyCastle(new byte[32], u);
        }
    }

    @Test
    void lowOrderPoint_reportsAllZeroResult() {
        byte[] out = new byte[32];

        boolean nonZero = X25519Ladder.sharedSecret(randomBytes(new SplittableRandom(1)), new byte[32], out);

        assertThat(nonZero).isFalse();
        assertThat(out).containsOnly(0);
    }

    @Test
    void randomFieldElements_mulSqrAndInvert_agreeWithBigInteger() {
        java.math.BigInteger p = java.math.BigInteger.ONE.shiftLeft(255).subtract(java.math.BigInteger.valueOf(19));
        SplittableRandom random = new SplittableRandom(51);
        for (int i = 0; i < 20_000; i++) {
            // limbs up to 2^53 - 1, the largest the ladder feeds to mul and sqr
            long[] a = i == 0 ? largestLimbs() : randomLimbs(random);
            long[] b = i <= 1 ? largestLimbs() : randomLimbs(random);
            long[] product = new long[5];
            long[] square = new long[5];
            long[] inverse = new long[5];
            X25519Ladder.mul(product, a, b);
            X25519Ladder.sqr(square, a);
            X25519Ladder.invert(inverse, a);
            assertThat(value(product).mod(p)).isEqualTo(value(a).multiply(value(b)).mod(p));
            assertThat(value(square).mod(p)).isEqualTo(value(a).pow(2).mod(p));
            assertThat(value(inverse).multiply(value(a)).mod(p)).isEqualTo(
                    value(a).mod(p).signum() == 0 ? java.math.BigInteger.ZERO : java.math.BigInteger.ONE);
            for (long limb : product) {
                assertThat(limb).isBetween(0L, (1L << 51) + (1L << 16));
            }
        }
    }

    @Test
    void mulAndSqr_limbsWhereTheDoubleQuotientErrsMost_matchBigInteger() {
        SplittableRandom random = new SplittableRandom(1092);
        for (long[] offsets : MUL_WORST_ROUNDING) {
            long[] a = belowTop(offsets, 0);
            long[] b = belowTop(offsets, 5);
            assertMulMatchesBigInteger(a, b);
            for (int i = 0; i < 2_000; i++) {
                assertMulMatchesBigInteger(nudge(a, random), nudge(b, random));
            }
        }
        for (long[] offsets : SQR_WORST_ROUNDING) {
            long[] a = belowTop(offsets, 0);
            assertSqrMatchesBigInteger(a);
            for (int i = 0; i < 2_000; i++) {
                assertSqrMatchesBigInteger(nudge(a, random));
            }
        }
    }

    @Test
    void mulAndSqr_everyVectorOfExtremeLimbs_matchBigInteger() {
        long[] extremes = {0, 1, (1L << 51) - 1, 1L << 51, OUTPUT_MAX[1], 1L << 52, LADDER_OPERAND_MAX, TOP - 1, TOP};
        long[] allTop = {TOP, TOP, TOP, TOP, TOP};
        long[] alternating = {TOP, 0, TOP, 0, TOP};
        SplittableRandom random = new SplittableRandom(53);
        int vectors = (int) Math.pow(extremes.length, 5);
        for (int index = 0; index < vectors; index++) {
            long[] a = new long[5];
            for (int i = 0, rest = index; i < 5; i++, rest /= extremes.length) {
                a[i] = extremes[rest % extremes.length];
            }
            long[] other = new long[5];
            for (int i = 0; i < 5; i++) {
                other[i] = extremes[random.nextInt(extremes.length)];
            }
            assertSqrMatchesBigInteger(a);
            assertMulMatchesBigInteger(a, allTop);
            assertMulMatchesBigInteger(alternating, a);
            assertMulMatchesBigInteger(a, other);
        }
    }

    @Test
    void ladderStep_fromTheLargestStates_keepsItsLimbBoundsAndMatchesBigInteger() throws Throwable {
        SplittableRandom random = new SplittableRandom(121665);
        long[][] states = {
            OUTPUT_MAX,
            new long[5],
            {OUTPUT_MAX[0], 0, OUTPUT_MAX[2], 0, OUTPUT_MAX[4]},
            {0, OUTPUT_MAX[1], 0, OUTPUT_MAX[3], 0},
            {OUTPUT_MAX[0] - 18, OUTPUT_MAX[1], OUTPUT_MAX[2], OUTPUT_MAX[3], OUTPUT_MAX[4]},
            null, // random, below OUTPUT_MAX
        };
        long[][] points = {X25519Ladder.decode(filled(0xFF)), X25519Ladder.decode(P), X25519Ladder.decode(littleEndian(9))};
        for (long[] x1 : points) {
            for (int index = 0; index < 6 * 6 * 6 * 6; index++) {
                long[] x2 = stateOrRandom(states[index % 6], random);
                long[] z2 = stateOrRandom(states[index / 6 % 6], random);
                long[] x3 = stateOrRandom(states[index / 36 % 6], random);
                long[] z3 = stateOrRandom(states[index / 216], random);
                BigInteger[] expected = ladderStepByBigInteger(value(x1), value(x2), value(z2), value(x3), value(z3));

                long[][] actual = ladderStep(x1, x2, z2, x3, z3);

                for (int i = 0; i < 4; i++) {
                    assertThat(value(actual[i]).mod(FIELD_P)).isEqualTo(expected[i]);
                    assertWithinOutputBounds(actual[i]);
                }
            }
        }
    }

    @Test
    void encode_valuesAroundPAndLimbsUpToTheOutputBounds_areCanonical() {
        for (int k = -40; k < 19; k++) {
            assertEncodesCanonically(limbsOf(FIELD_P.add(BigInteger.valueOf(k)))); // p - 40 to 2^255 - 1
        }
        for (int k = 0; k < 40; k++) {
            assertEncodesCanonically(limbsOf(BigInteger.valueOf(k)));
        }
        SplittableRandom random = new SplittableRandom(255);
        for (int i = 0; i < 10_000; i++) {
            long[] limbs = new long[5];
            for (int j = 0; j < 5; j++) {
                limbs[j] = OUTPUT_MAX[j] - (random.nextBoolean() ? random.nextLong(64) : random.nextLong(OUTPUT_MAX[j] + 1));
            }
            assertEncodesCanonically(limbs);
        }
        assertEncodesCanonically(OUTPUT_MAX.clone());
    }

    @Test
    void everyNonCanonicalPoint_isTakenModuloP() {
        SplittableRandom random = new SplittableRandom(19);
        for (int k = 0; k < 19; k++) {
            byte[] nonCanonical = addSmall(P, k); // p + k: 2^255 - 19 to 2^255 - 1
            for (int topBit = 0; topBit < 2; topBit++) {
                byte[] u = nonCanonical.clone();
                u[31] |= (byte) (topBit << 7);
                byte[] reduced = littleEndian(k);
                reduced[31] |= (byte) (topBit << 7);
                for (int i = 0; i < 20; i++) {
                    byte[] scalar = randomBytes(random);
                    byte[] fromReduced = new byte[32];
                    byte[] fromNonCanonical = new byte[32];
                    X25519Ladder.sharedSecret(scalar, reduced, fromReduced);
                    X25519Ladder.sharedSecret(scalar, u, fromNonCanonical);
                    assertThat(fromNonCanonical).isEqualTo(fromReduced);
                    assertSameAsBouncyCastle(scalar, u);
                }
            }
        }
    }

    /** 100,000 pairs by default; -Dx25519.ladder.pairs=200000 on the Maven command line for a longer run. */
    @Test
    void manyRandomScalarsAndPoints_includingPointsNearP_matchBouncyCastle() {
        int pairs = Integer.getInteger("x25519.ladder.pairs", 100_000);
        SplittableRandom random = new SplittableRandom(25519);
        for (int i = 0; i < pairs; i++) {
            byte[] scalar = randomBytes(random);
            byte[] u = randomBytes(random);
            if (i % 3 == 1) {
                // within 2^64 of 2^255 (top bit either way): around p and above it
                java.util.Arrays.fill(u, 8, 31, (byte) 0xFF);
                u[31] |= 0x7F;
            } else if (i % 3 == 2) {
                // each byte 0, 0xFF or random: limbs at and near their extremes
                for (int j = 0; j < 32; j++) {
                    int pick = random.nextInt(3);
                    u[j] = pick == 0 ? 0 : pick == 1 ? (byte) 0xFF : u[j];
                }
            }
            assertSameAsBouncyCastle(scalar, u);
        }
    }

    private static void assertSameAsBouncyCastle(byte[] scalar, byte[] u) {
        byte[] expected = new byte[32];
        byte[] actual = new byte[32];
        boolean expectedNonZero = org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(scalar, 0, u, 0, expected, 0);

        boolean actualNonZero = X25519Ladder.sharedSecret(scalar, u, actual);

        assertThat(HEX.formatHex(actual)).as("scalar %s, u %s", HEX.formatHex(scalar), HEX.formatHex(u))
                .isEqualTo(HEX.formatHex(expected));
        assertThat(actualNonZero).isEqualTo(expectedNonZero);
    }

    /**
     * One step of sharedSecret's ladder, calling the field operations as it does: x2', z2', x3',
     * z3'. Each mul and sqr operand is checked against LADDER_OPERAND_MAX, each subtrahend against 2p.
     */
    private static long[][] ladderStep(long[] x1, long[] x2, long[] z2, long[] x3, long[] z3) throws Throwable {
        long[] a = sum(x2, z2);
        long[] aa = square(a);
        long[] b = difference(x2, z2);
        long[] bb = square(b);
        long[] e = difference(aa, bb);
        long[] da = product(difference(x3, z3), a);
        long[] cb = product(sum(x3, z3), b);
        return new long[][] {
            product(aa, bb),
            product(sum(timesA24(e), aa), e),
            square(sum(da, cb)),
            product(square(difference(da, cb)), x1),
        };
    }

    private static long[] sum(long[] a, long[] b) throws Throwable {
        long[] r = new long[5];
        ADD.invokeExact(r, a, b);
        return r;
    }

    private static long[] difference(long[] a, long[] b) throws Throwable {
        for (int i = 0; i < 5; i++) {
            assertThat(b[i]).isBetween(0L, TWO_P[i]);
        }
        long[] r = new long[5];
        SUB.invokeExact(r, a, b);
        return r;
    }

    private static long[] timesA24(long[] a) throws Throwable {
        long[] r = new long[5];
        MUL_A24.invokeExact(r, operand(a));
        return r;
    }

    private static long[] square(long[] a) {
        long[] r = new long[5];
        X25519Ladder.sqr(r, operand(a));
        return r;
    }

    private static long[] product(long[] a, long[] b) {
        long[] r = new long[5];
        X25519Ladder.mul(r, operand(a), operand(b));
        return r;
    }

    /** RFC 7748's ladder step: x2', z2', x3', z3' mod p. */
    private static BigInteger[] ladderStepByBigInteger(BigInteger x1, BigInteger x2, BigInteger z2, BigInteger x3,
            BigInteger z3) {
        BigInteger a = x2.add(z2);
        BigInteger aa = a.pow(2);
        BigInteger b = x2.subtract(z2);
        BigInteger bb = b.pow(2);
        BigInteger e = aa.subtract(bb);
        BigInteger da = x3.subtract(z3).multiply(a);
        BigInteger cb = x3.add(z3).multiply(b);
        return new BigInteger[] {
            aa.multiply(bb).mod(FIELD_P),
            e.multiply(aa.add(BigInteger.valueOf(121_665).multiply(e))).mod(FIELD_P),
            da.add(cb).pow(2).mod(FIELD_P),
            x1.multiply(da.subtract(cb).pow(2)).mod(FIELD_P),
        };
    }

    private static long[] operand(long[] limbs) {
        for (long limb : limbs) {
            assertThat(limb).isBetween(0L, LADDER_OPERAND_MAX);
        }
        return limbs;
    }

    private static long[] stateOrRandom(long[] state, SplittableRandom random) {
        if (state != null) {
            return state.clone();
        }
        long[] limbs = new long[5];
        for (int i = 0; i < 5; i++) {
            limbs[i] = random.nextLong(OUTPUT_MAX[i] + 1);
        }
        return limbs;
    }

    private static MethodHandle fieldOperation(String name, Class<?>... parameters) {
        try {
            return MethodHandles.privateLookupIn(X25519Ladder.class, MethodHandles.lookup())
                    .findStatic(X25519Ladder.class, name, MethodType.methodType(void.class, parameters));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** mul(a, b) and mul written over a copy of a: the value a * b mod p, limbs within OUTPUT_MAX. */
    private static void assertMulMatchesBigInteger(long[] a, long[] b) {
        long[] product = new long[5];
        X25519Ladder.mul(product, a, b);
        long[] inPlace = a.clone();
        X25519Ladder.mul(inPlace, inPlace, b);
        assertThat(value(product).mod(FIELD_P)).as("%s * %s", java.util.Arrays.toString(a), java.util.Arrays.toString(b))
                .isEqualTo(value(a).multiply(value(b)).mod(FIELD_P));
        assertThat(inPlace).isEqualTo(product);
        assertWithinOutputBounds(product);
    }

    private static void assertSqrMatchesBigInteger(long[] a) {
        long[] square = new long[5];
        X25519Ladder.sqr(square, a);
        long[] inPlace = a.clone();
        X25519Ladder.sqr(inPlace, inPlace);
        assertThat(value(square).mod(FIELD_P)).as("%s^2", java.util.Arrays.toString(a))
                .isEqualTo(value(a).pow(2).mod(FIELD_P));
        assertThat(inPlace).isEqualTo(square);
        assertWithinOutputBounds(square);
    }

    private static void assertWithinOutputBounds(long[] limbs) {
        for (int i = 0; i < 5; i++) {
            assertThat(limbs[i]).isBetween(0L, OUTPUT_MAX[i]);
        }
    }

    private static void assertEncodesCanonically(long[] limbs) {
        byte[] out = new byte[32];
        X25519Ladder.encode(limbs, out);
        byte[] bigEndian = value(limbs).mod(FIELD_P).toByteArray();
        byte[] expected = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            expected[i] = bigEndian[bigEndian.length - 1 - i];
        }
        assertThat(HEX.formatHex(out)).as(java.util.Arrays.toString(limbs)).isEqualTo(HEX.formatHex(expected));
    }

    /** The canonical 51-bit limbs of 0 ≤ v < 2^255. */
    private static long[] limbsOf(BigInteger v) {
        long[] limbs = new long[5];
        for (int i = 0; i < 5; i++) {
            limbs[i] = v.shiftRight(51 * i).longValue() & ((1L << 51) - 1);
        }
        return limbs;
    }

    private static long[] belowTop(long[] offsets, int from) {
        long[] limbs = new long[5];
        for (int i = 0; i < 5; i++) {
            limbs[i] = TOP - offsets[from + i];
        }
        return limbs;
    }

    /** About half the limbs moved by up to ±2^20, kept within [0, TOP]. */
    private static long[] nudge(long[] limbs, SplittableRandom random) {
        long[] nudged = limbs.clone();
        for (int i = 0; i < 5; i++) {
            if (random.nextBoolean()) {
                long step = random.nextLong(1L << random.nextInt(1, 21)) * (random.nextBoolean() ? 1 : -1);
                nudged[i] = Math.max(0, Math.min(TOP, nudged[i] + step));
            }
        }
        return nudged;
    }

    private static long[] largestLimbs() {
        long[] limbs = new long[5];
        java.util.Arrays.fill(limbs, (1L << 53) - 1);
        return limbs;
    }

    private static long[] randomLimbs(SplittableRandom random) {
        long[] limbs = new long[5];
        for (int i = 0; i < 5; i++) {
            limbs[i] = random.nextInt(4) == 0 ? (1L << 53) - 1 - random.nextInt(3) : random.nextLong(1L << 53);
        }
        return limbs;
    }

    private static java.math.BigInteger value(long[] limbs) {
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        for (int i = 4; i >= 0; i--) {
            v = v.shiftLeft(51).add(java.math.BigInteger.valueOf(limbs[i]));
        }
        return v;
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] littleEndian(int value) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) value;
        return bytes;
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] addSmall(byte[] littleEndian, int addend) {
        byte[] sum = littleEndian.clone();
        int carry = addend;
        for (int i = 0; i < sum.length && carry != 0; i++) {
            int v = (sum[i] & 0xFF) + carry;
            sum[i] = (byte) v;
            carry = v >>> 8;
        }
        return sum;
    }
}
