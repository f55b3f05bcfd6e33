package io.starconsole.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The 51-bit ladder gives BouncyCastle's result, byte for byte, on RFC 7748's vectors and on many
 * random scalars and points, including unclamped scalars, u with the top bit set, non-canonical u
 * (≥ p) and low-order points.
 */
class X25519LadderTest {

    private static final HexFormat HEX = HexFormat.of();
    /** p = 2^255 - 19, little-endian. */
    private static final byte[] P = HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

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

    private static void assertSameAsBouncyCastle(byte[] scalar, byte[] u) {
        byte[] expected = new byte[32];
        byte[] actual = new byte[32];
        boolean expectedNonZero = org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(scalar, 0, u, 0, expected, 0);

        boolean actualNonZero = X25519Ladder.sharedSecret(scalar, u, actual);

        assertThat(HEX.formatHex(actual)).as("scalar %s, u %s", HEX.formatHex(scalar), HEX.formatHex(u))
                .isEqualTo(HEX.formatHex(expected));
        assertThat(actualNonZero).isEqualTo(expectedNonZero);
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
