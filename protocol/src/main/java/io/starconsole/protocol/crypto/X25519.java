package io.starconsole.protocol.crypto;

import io.starconsole.protocol.codec.ProtocolException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte keys. Shared secrets (the handshake's four per side) use this
 * library's {@link X25519Ladder}, faster than BouncyCastle's and the JDK's (see BENCHMARKS.md).
 * Public keys use BouncyCastle's precomputed fixed-base multiplication when {@code bcprov} is on
 * the class path, else the ladder at the base point, so a small agent may leave BouncyCastle out.
 * The JDK's XDH stays as a reference the tests compare with.
 */
public final class X25519 {

    /** An implementation: BouncyCastle's, the JDK's XDH, or {@link X25519Ladder}. */
    public enum Backend { BOUNCY_CASTLE, JDK, LADDER_51 }

    private static final Backend PUBLIC_KEY_BACKEND = detect();
    private static final Backend SHARED_SECRET_BACKEND = Backend.LADDER_51;
    private static final byte[] BASE_POINT = new byte[Key.SIZE_IN_BYTES];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {
    }

    /** Which implementation derives public keys (shared secrets always use {@link Backend#LADDER_51}). */
    public static Backend backend() {
        return PUBLIC_KEY_BACKEND;
    }

    /** The public key of {@code privateKey}. */
    public static Key publicKey(Key privateKey) {
        return Key.copyOf(publicKey(privateKey.bytesForCrypto(), PUBLIC_KEY_BACKEND));
    }

    /**
     * X25519(privateKey, publicKey). A result of all zeros (a low-order public key) is rejected as
     * {@link ProtocolException.Reason#AUTHENTICATION_FAILED}.
     */
    public static byte[] sharedSecret(Key privateKey, byte[] publicKey) throws ProtocolException {
        return sharedSecret(privateKey.bytesForCrypto(), publicKey, SHARED_SECRET_BACKEND);
    }

    static byte[] publicKey(byte[] privateKey, Backend backend) {
        if (backend == Backend.BOUNCY_CASTLE) {
            return Bc.publicKey(privateKey);
        }
        if (backend == Backend.LADDER_51) {
            byte[] out = new byte[Key.SIZE_IN_BYTES];
            X25519Ladder.sharedSecret(privateKey, BASE_POINT, out);
            return out;
        }
        try {
            return Jdk.agree(privateKey, BASE_POINT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 base point multiplication failed", e);
        }
    }

    static byte[] sharedSecret(byte[] privateKey, byte[] publicKey, Backend backend) throws ProtocolException {
        if (publicKey.length != Key.SIZE_IN_BYTES) {
            throw new ProtocolException(ProtocolException.Reason.AUTHENTICATION_FAILED, "bad public key length");
        }
        if (backend != Backend.JDK) {
            byte[] out = new byte[Key.SIZE_IN_BYTES];
            boolean nonZero = backend == Backend.LADDER_51
                    ? X25519Ladder.sharedSecret(privateKey, publicKey, out)
                    : Bc.agree(privateKey, publicKey, out);
            if (!nonZero) {
                throw new ProtocolException(ProtocolException.Reason.AUTHENTICATION_FAILED, "degenerate DH result");
            }
            return out;
        }
        try {
            return Jdk.agree(privateKey, publicKey);
        } catch (GeneralSecurityException e) {
            throw new ProtocolException(ProtocolException.Reason.AUTHENTICATION_FAILED, "degenerate DH result");
        }
    }

    private static Backend detect() {
        try {
            Class.forName("org.bouncycastle.math.ec.rfc7748.X25519", false, X25519.class.getClassLoader());
            return Backend.BOUNCY_CASTLE;
        } catch (ClassNotFoundException | LinkageError e) {
            return Backend.LADDER_51;
        }
    }

    /** Loaded only when BouncyCastle is present. */
    private static final class Bc {
        static byte[] publicKey(byte[] privateKey) {
            byte[] out = new byte[Key.SIZE_IN_BYTES];
            org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, out, 0);
            return out;
        }

        static boolean agree(byte[] privateKey, byte[] publicKey, byte[] out) {
            return org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0);
        }
    }

    /** The JDK's XDH, fed raw keys through key specs. */
    private static final class Jdk {
        private static final ThreadLocal<KeyFactory> FACTORY = ThreadLocal.withInitial(() -> {
            try {
                return KeyFactory.getInstance("X25519");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        private static final ThreadLocal<KeyAgreement> AGREEMENT = ThreadLocal.withInitial(() -> {
            try {
                return KeyAgreement.getInstance("X25519");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });

        static byte[] agree(byte[] privateKey, byte[] publicKey) throws GeneralSecurityException {
            byte[] bigEndianU = new byte[Key.SIZE_IN_BYTES];
            for (int i = 0; i < Key.SIZE_IN_BYTES; i++) {
                bigEndianU[i] = publicKey[Key.SIZE_IN_BYTES - 1 - i];
            }
            bigEndianU[0] &= 0x7F; // RFC 7748: the top bit of u is ignored
            KeyFactory factory = FACTORY.get();
            PublicKey pub = factory.generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndianU)));
            PrivateKey priv = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            KeyAgreement agreement = AGREEMENT.get();
            agreement.init(priv);
            agreement.doPhase(pub, true);
            return agreement.generateSecret();
        }
    }
}
