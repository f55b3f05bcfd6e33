package io.starconsole.agent.backend;

/** A device change or read that failed; the message is meant for the operator (COMMAND_RESULT). */
public final class BackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
