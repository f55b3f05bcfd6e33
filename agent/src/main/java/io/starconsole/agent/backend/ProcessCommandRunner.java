package io.starconsole.agent.backend;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs with {@link ProcessBuilder} and argument arrays. The program is looked up in an
 * explicit search path (the PATH of the agent by default; tests point it at stand-in scripts), so
 * what runs is never decided by a shell.
 */
public final class ProcessCommandRunner implements CommandRunner {

    private final List<Path> searchPath;
    private final Duration timeout;

    public ProcessCommandRunner(List<Path> searchPath, Duration timeout) {
        this.searchPath = List.copyOf(searchPath);
        this.timeout = timeout;
    }

    /** The agent's own PATH (or the usual system directories if PATH is unset), 30 s per program. */
    public static ProcessCommandRunner fromEnvironment() {
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) {
            path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        }
        return new ProcessCommandRunner(parsePath(path), Duration.ofSeconds(30));
    }

    public static List<Path> parsePath(String path) {
        List<Path> directories = new ArrayList<>();
        for (String entry : path.split(":")) {
            if (!entry.isEmpty()) {
                directories.add(Path.of(entry));
            }
        }
        return directories;
    }

    /** The executable named {@code program} in the search path. */
    public Path resolve(String program) {
        if (program.contains("/")) {
            throw new BackendException("program names are looked up on the search path, not given as paths: " + program);
        }
        for (Path directory : searchPath) {
            Path candidate = directory.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new BackendException(program + ": not found on the search path");
    }

    @Override
    public String run(List<String> argv, String stdin) {
        List<String> command = new ArrayList<>(argv);
        command.set(0, resolve(argv.get(0)).toString());
        Path output;
        try {
            output = Files.createTempFile("star-console-agent-", ".out");
        } catch (IOException e) {
            throw new BackendException(argv.get(0) + ": cannot create a file for its output", e);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PATH", String.join(":", searchPath.stream().map(Path::toString).toList()));
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the program may not read its input; its exit status tells
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new BackendException(argv.get(0) + ": did not finish within " + timeout.toSeconds() + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String first = text.lines().findFirst().orElse("").strip();
                throw new BackendException(argv.get(0) + (argv.size() > 1 ? " " + argv.get(1) : "") + " failed (exit "
                        + process.exitValue() + ")" + (first.isEmpty() ? "" : ": " + first));
            }
            return text;
        } catch (IOException e) {
            throw new BackendException(argv.get(0) + ": cannot run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(argv.get(0) + ": interrupted");
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
