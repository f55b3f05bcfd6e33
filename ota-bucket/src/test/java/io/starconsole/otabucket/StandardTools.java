package io.starconsole.otabucket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs openssl, sha512sum... as an operator would, for tests that check stored objects with them. */
final class StandardTools {

    record Result(int code, String output) {
    }

    private StandardTools() {
    }

    static boolean available(String... command) {
        try {
            return run(Path.of("."), command).code() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static Result run(Path dir, String... command) throws IOException {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(process.exitValue(), output);
    }
}
