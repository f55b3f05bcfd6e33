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
 * X25519 (RFC 7748) on raw 32-byte keys. Uses BouncyCastle's lightweight implementation when
 * {@code bcprov} is on the class path (about twice as fast: see BENCHMARKS.md), else the JDK's XDH,
 * so a small agent may leave BouncyCastle out.
 */
public final class X25519 {

    /** Which implementation runs. */
    public enum Backend { BOUNCY_CASTLE, JDK }

    private static final Backend BACKEND = detect();
    private static final byte[] BASE_POINT = new byte[Key.SIZE_IN_BYTES];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {
    }

    public static Backend backend() {
        return BACKEND;
    }

    /** The public key of {@code privateKey}. */
    public static Key publicKey(Key privateKey) {
        return Key.copyOf(publicKey(privateKey.bytesForCrypto(), BACKEND));
    }

    /**
     * X25519(privateKey, publicKey). A result of all zeros (a low-order public key) is rejected as
     * {@link ProtocolException.Reason#AUTHENTICATION_FAILED}.
     */
    public static byte[] sharedSecret(Key privateKey, byte[] publicKey) throws ProtocolException {
        return sharedSecret(privateKey.bytesForCrypto(), publicKey, BACKEND);
    }

    static byte[] publicKey(byte[] privateKey, Backend backend) {
        if (backend == Backend.BOUNCY_CASTLE) {
            return Bc.publicKey(privateKey);
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
        if (backend == Backend.BOUNCY_CASTLE) {
            byte[] out = new byte[Key.SIZE_IN_BYTES];
            if (!Bc.agree(privateKey, publicKey, out)) {
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
            return Backend.JDK;
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
