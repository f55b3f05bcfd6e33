package io.starconsole.bench;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.crypto.X25519;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * How fast this machine is today, printed in every bench's first line. The same two-core machine has
 * run the console's benches at speeds 1.6 to 2.5 times apart from one day to the next (the host
 * under the virtual machine changes, and no steal time shows inside it), so a figure is only
 * comparable with another taken at a similar speed. The probe is the protocol's own X25519 shared
 * secret (its ladder) on one thread, a pure CPU workload every registration and re-key runs: 52–57 µs
 * in session 6, 39–40 µs on session 19's faster day.
 */
final class MachineSpeed {

    private static final int WARM_UP_SECRETS = 3_000;
    private static final int SECRETS_PER_ROUND = 1_000;
    private static final int ROUNDS = 5;

    private MachineSpeed() {
    }

    /** The processor's model name and the probe's result, e.g. "AMD EPYC, X25519 61.2 µs a shared secret". */
    static String describe() {
        return cpuModel() + ", X25519 " + String.format("%.1f", microsPerSharedSecret()) + " µs a shared secret (one thread)";
    }

    /**
     * The median of five rounds' time per shared secret, after a warm-up long enough for the JIT to
     * compile the ladder: the median leaves out a round another process interrupted.
     */
    static double microsPerSharedSecret() {
        SecureRandom random = new SecureRandom();
        KeyPair mine = KeyPair.generate(random);
        byte[] theirs = KeyPair.generate(random).publicKey().getBytes();
        long sink = 0;
        try {
            for (int i = 0; i < WARM_UP_SECRETS; i++) {
                sink += X25519.sharedSecret(mine.privateKey(), theirs)[0];
            }
            double[] rounds = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < SECRETS_PER_ROUND; i++) {
                    sink += X25519.sharedSecret(mine.privateKey(), theirs)[0];
                }
                rounds[r] = (System.nanoTime() - start) / 1_000.0 / SECRETS_PER_ROUND;
            }
            Arrays.sort(rounds);
            // sink keeps the JIT from dropping the work as unused
            return rounds[ROUNDS / 2] + (sink == Long.MIN_VALUE ? 1 : 0);
        } catch (ProtocolException e) {
            throw new IllegalStateException("a random public key was refused: " + e.getMessage(), e);
        }
    }

    static String cpuModel() {
        try {
            return cpuModelFromCpuinfo(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return "processor unknown";
        }
    }

    /** The first "model name" of a /proc/cpuinfo text, or "processor unknown". */
    static String cpuModelFromCpuinfo(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                if (colon >= 0 && !line.substring(colon + 1).isBlank()) {
                    return line.substring(colon + 1).trim();
                }
            }
        }
        return "processor unknown";
    }
}
