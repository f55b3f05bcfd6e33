package io.starconsole.agent.backend;

import java.util.List;

/** Runs one program with an argument list (never through a shell) and returns its standard output. */
@FunctionalInterface
public interface CommandRunner {

    /**
     * @param argv  program name (looked up on the runner's PATH) and its arguments
     * @param stdin text for the program's standard input, or null for none
     * @throws BackendException if the program is missing, fails, or runs too long
     */
    String run(List<String> argv, String stdin);
}
