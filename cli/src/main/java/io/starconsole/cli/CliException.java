package io.starconsole.cli;

/** A failure that ends a one-shot run with {@link #exitCode()} (and, interactively, just prints). */
public class CliException extends Exception {

    public static final int OK = 0;
    /** The command failed on a box, or the API answered with an error. */
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int AUTHENTICATION = 3;
    public static final int UNREACHABLE = 4;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(USAGE, message);
    }
}
