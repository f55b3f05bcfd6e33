package io.starconsole.functions;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a copy of what is printed to stderr until closed, while the real stderr still shows it: for
 * tests that a failure leaves no stack trace there (a library's fallback when nobody handles an error).
 */
public final class StderrCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private StderrCapture() {
        System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
    }

    public static StderrCapture start() {
        return new StderrCapture();
    }

    /** What was printed since the start. */
    public String printed() {
        return copy.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
