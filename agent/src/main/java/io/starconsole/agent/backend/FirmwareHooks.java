package io.starconsole.agent.backend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The linux backend's firmware programs, given as absolute paths in the configuration: the install
 * hook ({@code <hook> <image-path> <slot>}: writes the image into the slot's partition), the switch
 * hook ({@code <hook> <slot>}: makes the boot loader start that slot) and the health hook
 * ({@code <hook> <slot>}: exit 0 when the running firmware is healthy). {@code stateDirectory} keeps
 * the agent's record of the active slot and of each slot's version.
 */
public record FirmwareHooks(Optional<Path> install, Optional<Path> switchSlot, Optional<Path> health, Path stateDirectory,
        Duration timeout) {

    /** No hooks: firmware updates are refused by the linux backend. */
    public static FirmwareHooks none(Path stateDirectory) {
        return new FirmwareHooks(Optional.empty(), Optional.empty(), Optional.empty(), stateDirectory, Duration.ofMinutes(10));
    }

    /** Runs {@code hook} with {@code args} (never through a shell); its standard output. */
    String run(Path hook, List<String> args) {
        Path absolute = hook.toAbsolutePath();
        ProcessCommandRunner runner = new ProcessCommandRunner(List.of(absolute.getParent()), timeout);
        List<String> argv = new java.util.ArrayList<>();
        argv.add(absolute.getFileName().toString());
        argv.addAll(args);
        return runner.run(argv, null);
    }
}
