package io.starconsole.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the console (functions, edge, simulated boxes): started with its own
 * environment, its output prefixed with its name, restarted if it dies on its own (at most
 * {@link #MAX_RESTARTS_PER_MINUTE} times a minute), and stopped with SIGTERM, then SIGKILL.
 */
final class SupervisedProcess {

    static final int MAX_RESTARTS_PER_MINUTE = 5;
    private static final Duration RESTART_DELAY = Duration.ofSeconds(2);

    private final String name;
    private final JvmOptions.JavaCommand command;
    private final Map<String, String> environment;
    private final PrintStream out;
    private final Deque<Long> recentRestarts = new ArrayDeque<>();
    private volatile Process process;
    private volatile boolean stopping;

    SupervisedProcess(String name, JvmOptions.JavaCommand command, Map<String, String> environment, PrintStream out) {
        this.name = name;
        this.command = command;
        this.environment = Map.copyOf(environment);
        this.out = out;
    }

    String name() {
        return name;
    }

    synchronized void start() throws IOException {
        stopping = false;
        ProcessBuilder builder = command.processBuilder().redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process started = builder.start();
        process = started;
        Thread pump = new Thread(() -> pumpOutput(started), name + "-output");
        pump.setDaemon(true);
        pump.start();
        started.onExit().thenAccept(this::exited);
    }

    private void pumpOutput(Process source) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(source.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.println("[" + name + "] " + line);
            }
        } catch (IOException ignored) {
            // the process is gone; its exit is handled in exited()
        }
    }

    private void exited(Process gone) {
        settle(gone);
        synchronized (this) {
            // Under the same lock as start(): a restart in progress is never mistaken for a crash.
            if (stopping || gone != process) {
                return;
            }
        }
        long now = System.nanoTime();
        synchronized (recentRestarts) {
            while (!recentRestarts.isEmpty() && now - recentRestarts.peekFirst() > TimeUnit.MINUTES.toNanos(1)) {
                recentRestarts.pollFirst();
            }
            if (recentRestarts.size() >= MAX_RESTARTS_PER_MINUTE) {
                out.println("[launcher] " + name + " keeps failing (exit " + gone.exitValue()
                        + "); not restarting it again");
                return;
            }
            recentRestarts.addLast(now);
        }
        out.println("[launcher] " + name + " exited with " + gone.exitValue() + "; restarting in "
                + RESTART_DELAY.toSeconds() + " s");
        try {
            Thread.sleep(RESTART_DELAY.toMillis());
            if (!stopping) {
                start();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            out.println("[launcher] could not restart " + name + ": " + e.getMessage());
        }
    }

    /** Waits until {@code url} answers 200, or fails after {@code timeout}. */
    void awaitReady(URI url, Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process current = process;
            if (current != null && !current.isAlive() && recentRestarts.size() >= MAX_RESTARTS_PER_MINUTE) {
                throw new IOException(name + " exited before it was ready");
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException(name + " was not ready at " + url + " within " + timeout.toSeconds() + " s");
    }

    /** kill -9: no shutdown hook, nothing flushed, as when the machine loses power. */
    void kill() {
        Process current;
        synchronized (this) {
            stopping = true;
            current = process;
        }
        if (current == null || !current.isAlive()) {
            return;
        }
        try {
            current.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        settle(current);
    }

    /** Stops the process: SIGTERM, then SIGKILL after {@code grace} plus the command's own exit work. */
    void stop(Duration grace) {
        Process current;
        synchronized (this) {
            stopping = true;
            current = process;
        }
        if (current == null || !current.isAlive()) {
            return;
        }
        // SIGTERM through the handle: Process.destroy() also closes the output pipe, so the process's
        // last lines were lost, and the second JVM that writes the functions' AOT cache at exit died
        // writing to it.
        current.toHandle().destroy();
        Duration allowed = grace.plus(command.exitWork());
        try {
            if (!current.waitFor(allowed.toMillis(), TimeUnit.MILLISECONDS)) {
                out.println("[launcher] " + name + " did not stop within " + allowed.toSeconds() + " s; killing it");
                current.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Here as well as on exit: the launcher may stop before the exit callback has run.
        settle(current);
    }

    /** Keeps or deletes what the process wrote as it exited (its class data), once it has. */
    private void settle(Process gone) {
        if (gone.isAlive()) {
            return;
        }
        try {
            command.settle(gone.exitValue());
        } catch (IOException e) {
            out.println("[launcher] " + name + ": could not settle what it wrote at exit: " + e.getMessage());
        }
    }
}
