package io.starconsole.e2e;

import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyFormatException;
import io.starconsole.protocol.crypto.KeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent as a box runs it: {@code java -jar agent/target/agent.jar run} in its own process, with
 * its key, state and sandbox under one directory (kept across a kill and a new start, as on a box's
 * disk). {@link #kill()} is kill -9: no BYE, no clean-up.
 */
final class AgentProcess implements AutoCloseable {

    private final Path state;
    private final Process process;

    private AgentProcess(Path state, Process process) {
        this.state = state;
        this.process = process;
    }

    /** Starts an agent keeping everything under {@code state}; {@code options} are more {@code --key value} pairs. */
    static AgentProcess start(Path state, String id, int edgePort, Path edgePublicKeyFile, String... options)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx32m", "-jar", RunningConsole.HOME.resolve("agent/target/agent.jar").toString(), "run",
                "--config", state.resolve("agent.conf").toString(),
                "--edge", "127.0.0.1:" + edgePort,
                "--edge-public-key-file", edgePublicKeyFile.toString(),
                "--key-file", state.resolve("agent.key").toString(),
                "--state-directory", state.toString(), "--sandbox-directory", sandbox(state).toString(),
                "--id", id, "--ping-interval", "PT1S"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("agent.log").toFile())).start();
        return new AgentProcess(state, process);
    }

    static Path sandbox(Path state) {
        return state.resolve("sandbox");
    }

    Path sandbox() {
        return sandbox(state);
    }

    /** The box's public key, once the agent has made its key file. */
    String publicKey(Duration timeout) throws InterruptedException, IOException, KeyFormatException {
        Path keyFile = state.resolve("agent.key");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(keyFile) || Files.readString(keyFile).isBlank()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("the agent made no key within " + timeout.toSeconds() + " s; see " + state.resolve("agent.log"));
            }
            Thread.sleep(100);
        }
        return KeyPair.fromPrivateKey(Key.fromBase64(Files.readString(keyFile).trim())).publicKey().toBase64();
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
