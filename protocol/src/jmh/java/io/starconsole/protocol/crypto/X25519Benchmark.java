package io.starconsole.protocol.crypto;

import io.starconsole.protocol.codec.ProtocolException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** X25519 on raw keys: one Diffie-Hellman and one public-key derivation, JDK XDH, BouncyCastle and this library's 51-bit ladder. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class X25519Benchmark {

    @Param({"JDK", "BOUNCY_CASTLE", "LADDER_51"})
    public X25519.Backend backend;

    private byte[] privateKey;
    private byte[] peerPublic;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        privateKey = KeyPair.generate(random).privateKey().getBytes();
        peerPublic = KeyPair.generate(random).publicKey().getBytes();
    }

    @Benchmark
    public byte[] sharedSecret() throws ProtocolException {
        return X25519.sharedSecret(privateKey, peerPublic, backend);
    }

    @Benchmark
    public byte[] publicKey() {
        return X25519.publicKey(privateKey, backend);
    }
}
