package io.starconsole.agent.ota;

import io.starconsole.agent.backend.Backend;
import io.starconsole.agent.command.CommandOutcome;
import io.starconsole.agent.command.ExecutedCommands;
import io.starconsole.agent.lifecycle.Registration;
import io.starconsole.agent.ota.OtaJournal.Step;
import io.starconsole.agent.support.Utf8Text;
import io.starconsole.firmware.FirmwareException;
import io.starconsole.firmware.Manifest;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.OtaState;
import io.starconsole.protocol.message.OtaStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * UPDATE_FIRMWARE (112) on the box (docs/ota.md, "On the box"): download with resume, verify
 * ({@link ReleaseVerifier}), install into the inactive slot, switch, "reboot", confirm health or
 * roll back; OTA_STATUS at every step and one COMMAND_RESULT at the end. The work runs on a thread
 * of its own (a download must not hold the shared scheduler). Each step is saved in an
 * {@link OtaJournal} first, so an agent that stops resumes its download when the command comes
 * again, and rolls back a switch it had not confirmed.
 */
public final class FirmwareUpdater {

    private static final Logger LOG = System.getLogger(FirmwareUpdater.class.getName());
    private static final int DOWNLOAD_ATTEMPTS = 3;
    private static final int PROGRESS_STEP_PERCENT = 10;

    private final Backend backend;
    private final ExecutedCommands executed;
    private final Path stateDirectory;
    private final Path otaDirectory;
    private final String model;
    private final String configuredVersion;
    private final TrustedKeys trustedKeys;
    private final Duration healthDeadline;
    private final ScheduledExecutorService scheduler;
    private final ReleaseDownload download = new ReleaseDownload();
    private final ExecutorService worker;
    private volatile Registration registration;
    private volatile boolean closed;
    private OtaJournal toConfirmAtStart;
    private OtaStatus statusAtStart;

    public FirmwareUpdater(Backend backend, ExecutedCommands executed, Path stateDirectory, Path otaDirectory, String model,
            String configuredVersion, TrustedKeys trustedKeys, Duration healthDeadline, ScheduledExecutorService scheduler) {
        this.backend = backend;
        this.executed = executed;
        this.stateDirectory = stateDirectory;
        this.otaDirectory = otaDirectory;
        this.model = model;
        this.configuredVersion = configuredVersion;
        this.trustedKeys = trustedKeys;
        this.healthDeadline = healthDeadline;
        this.scheduler = scheduler;
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "ota-update");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The version the box runs: the active slot's, or the configured one. */
    public String runningVersion() {
        try {
            return backend.firmwareVersion().orElse(configuredVersion);
        } catch (RuntimeException e) {
            return configuredVersion;
        }
    }

    /**
     * At start, before registering: a switch that was never confirmed is rolled back (the result to
     * send is returned); after a real reboot into new firmware the confirmation continues once
     * attached; a download or install cut short waits for the command to come again.
     */
    public Optional<CommandResult> recover() {
        Optional<OtaJournal> found = OtaJournal.load(stateDirectory);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        OtaJournal journal = found.get();
        switch (journal.step()) {
            case DOWNLOADING, INSTALLING -> {
                deleteQuietly(plainImage(journal.releaseId()));
                LOG.log(Level.INFO, "firmware update " + journal.releaseId() + " was interrupted; it resumes when the command comes again");
                return Optional.empty();
            }
            case REBOOTING -> {
                toConfirmAtStart = journal;
                return Optional.empty();
            }
            case ROLLED_BACK -> {
                OtaJournal.clear(stateDirectory);
                statusAtStart = status(journal, OtaState.ROLLED_BACK, 0, "rolled back to " + journal.oldVersion());
                return executed.find(journal.commandId());
            }
            default -> {
                LOG.log(Level.WARNING, "firmware " + journal.version() + " was not confirmed before the agent stopped; rolling back");
                CommandResult result = rollBackSlot(journal, "the agent stopped before the update was confirmed");
                statusAtStart = status(journal, OtaState.ROLLED_BACK, 0, result.message());
                return Optional.of(result);
            }
        }
    }

    /** The box's registration (set once, before the box starts). */
    public void attach(Registration registration) {
        this.registration = registration;
        if (statusAtStart != null) {
            registration.sendStatus(statusAtStart);
        }
        if (toConfirmAtStart != null) {
            OtaJournal journal = toConfirmAtStart;
            confirm(journal, registration.reRegister(false)).thenAccept(registration::sendResult);
        }
    }

    /** The box stops: the download is interrupted, the journal and the partial file stay. */
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the update {@code contents} describe; completes with the result ({@code null} when
     * there is nothing to send now: the update of this command is still being confirmed).
     */
    public CompletableFuture<CommandResult> update(long commandId, String contents) {
        UpdateRequest request;
        try {
            request = UpdateRequest.parse(contents);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(record(CommandOutcome.FAILED.result(commandId, e.getMessage())));
        }
        Optional<OtaJournal> pending = OtaJournal.load(stateDirectory);
        if (pending.isPresent() && (pending.get().step() == Step.SWITCHED || pending.get().step() == Step.REBOOTING)) {
            if (pending.get().commandId() == commandId) {
                return CompletableFuture.completedFuture(null); // being confirmed: the result follows
            }
            return CompletableFuture.completedFuture(record(CommandOutcome.FAILED.result(commandId, "another firmware update (command "
                    + Long.toUnsignedString(pending.get().commandId()) + ") is still being confirmed; try again later")));
        }
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        send(request, OtaState.PENDING, 0, "update to " + request.version() + " received");
        worker.execute(() -> {
            try {
                run(commandId, request).whenComplete((done, error) -> result.complete(
                        error == null ? done : CommandOutcome.FAILED.result(commandId, "agent error: " + error)));
            } catch (RuntimeException e) {
                result.complete(fail(commandId, request, "agent error: " + e));
            } finally {
                request.wipe();
            }
        });
        return result;
    }

    private CompletableFuture<CommandResult> run(long commandId, UpdateRequest request) {
        String running = runningVersion();
        String oldSlot = backend.activeSlot();
        String newSlot = Backend.otherSlot(oldSlot);
        OtaJournal journal = new OtaJournal(commandId, request.releaseId(), request.version(), Step.DOWNLOADING, oldSlot, running);
        Path part = otaDirectory.resolve(request.releaseId() + ".part");
        Path plain = plainImage(request.releaseId());
        Manifest manifest;
        try {
            Files.createDirectories(otaDirectory);
            deleteOtherDownloads(request.releaseId());
            journal.save(stateDirectory);
            send(request, OtaState.DOWNLOADING, 0, "fetching the manifest");
            manifest = ReleaseVerifier.manifest(download.small(request.resource("manifest.json")),
                    download.small(request.resource("signatures")), trustedKeys.load(), request, model, running);
            downloadImage(request, part, manifest);
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            send(request, OtaState.VERIFYING, 100, "checking the image's SHA-512");
            ReleaseVerifier.requireEncryptedHash(part, manifest);
            journal = journal.at(Step.INSTALLING);
            journal.save(stateDirectory);
            send(request, OtaState.INSTALLING, 0, "decrypting into slot " + newSlot);
            ReleaseVerifier.decrypt(part, plain, request.key(), manifest);
            backend.installFirmware(newSlot, plain, manifest.version());
        } catch (FirmwareException e) {
            if (e.reason() == FirmwareException.Reason.HASH_MISMATCH || e.reason() == FirmwareException.Reason.TAMPERED) {
                deleteQuietly(part); // a bad download is not resumed
            }
            deleteQuietly(plain);
            return CompletableFuture.completedFuture(fail(commandId, request, describe(e)));
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(plain);
            if (closed || Thread.currentThread().isInterrupted()) {
                return CompletableFuture.completedFuture(null); // stopping: the journal and partial file stay
            }
            return CompletableFuture.completedFuture(fail(commandId, request, "download failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            deleteQuietly(plain);
            return CompletableFuture.completedFuture(fail(commandId, request, "install failed: " + e.getMessage()));
        }
        boolean reboots = backend.switchRebootsTheBox();
        journal = journal.at(reboots ? Step.REBOOTING : Step.SWITCHED);
        journal.save(stateDirectory);
        try {
            backend.switchSlot(newSlot);
        } catch (RuntimeException e) {
            OtaJournal.clear(stateDirectory);
            return CompletableFuture.completedFuture(fail(commandId, request, "switching to slot " + newSlot + " failed: " + e.getMessage()));
        }
        send(request, OtaState.REBOOTING, 0, "switched to slot " + newSlot + "; restarting on " + manifest.version());
        LOG.log(Level.INFO, "firmware " + manifest.version() + " installed in slot " + newSlot + "; restarting on it");
        if (reboots) {
            backend.reboot(); // this process ends; the next start confirms (recover)
            return new CompletableFuture<>();
        }
        return confirm(journal, registration.restart());
    }

    private void downloadImage(UpdateRequest request, Path part, Manifest manifest) throws IOException, InterruptedException {
        int[] reported = {0};
        for (int attempt = 1; ; attempt++) {
            try {
                boolean resumed = download.image(request.resource("image.enc"), part, manifest.encryptedSize(), bytes -> {
                    int percent = manifest.encryptedSize() == 0 ? 100 : (int) (bytes * 100 / manifest.encryptedSize());
                    if (percent >= reported[0] + PROGRESS_STEP_PERCENT) {
                        reported[0] = percent - percent % PROGRESS_STEP_PERCENT;
                        send(request, OtaState.DOWNLOADING, reported[0], "image.enc " + bytes + " of " + manifest.encryptedSize() + " bytes");
                    }
                });
                if (resumed) {
                    LOG.log(Level.INFO, "firmware " + request.releaseId() + ": download resumed");
                }
                return;
            } catch (IOException e) {
                if (attempt >= DOWNLOAD_ATTEMPTS || closed || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.log(Level.INFO, "firmware " + request.releaseId() + ": " + e.getMessage() + "; resuming");
                Thread.sleep(500L * attempt);
            }
        }
    }

    /**
     * After the switch: the box must register again on the new firmware (OK or OK_NEWIP) and pass
     * its health check within the deadline; otherwise it goes back to the old slot.
     */
    private CompletableFuture<CommandResult> confirm(OtaJournal journal, CompletableFuture<Message> registered) {
        var timer = scheduler.schedule(() -> registered.complete(null), healthDeadline.toNanos(), TimeUnit.NANOSECONDS);
        return registered.handleAsync((answer, error) -> {
            timer.cancel(false);
            if (closed) {
                return null;
            }
            String problem;
            if (answer == null) {
                problem = "did not register on " + journal.version() + " within " + healthDeadline.toMillis() + " ms";
            } else if (answer instanceof Nok nok) {
                problem = "the console refused the registration on " + journal.version() + " (NOK " + nok.reason() + ")";
            } else {
                problem = backend.firmwareHealthProblem().orElse(null);
            }
            if (problem != null) {
                return rollBack(journal, problem);
            }
            OtaJournal.clear(stateDirectory);
            deleteQuietly(otaDirectory.resolve(journal.releaseId() + ".part"));
            String message = "firmware " + journal.version() + " running in slot " + backend.activeSlot() + " and healthy";
            registration.sendStatus(status(journal, OtaState.SUCCEEDED, 100, message));
            LOG.log(Level.INFO, message);
            return record(CommandOutcome.SUCCEEDED.result(journal.commandId(), message));
        }, worker.isShutdown() ? scheduler : worker);
    }

    private CommandResult rollBack(OtaJournal journal, String reason) {
        CommandResult result = rollBackSlot(journal, reason);
        registration.sendStatus(status(journal, OtaState.ROLLED_BACK, 0, result.message()));
        if (backend.switchRebootsTheBox()) {
            journal.at(Step.ROLLED_BACK).save(stateDirectory);
            backend.reboot(); // the next start reports the recorded result
            return null;
        }
        registration.restart(); // announces the old version again; the result is sent once registered
        return result;
    }

    /** Back to the old slot; the result recorded; the journal cleared. */
    private CommandResult rollBackSlot(OtaJournal journal, String reason) {
        String text = reason;
        try {
            backend.switchSlot(journal.oldSlot());
        } catch (RuntimeException e) {
            text = reason + "; switching back to slot " + journal.oldSlot() + " failed: " + e.getMessage();
        }
        OtaJournal.clear(stateDirectory);
        CommandResult result = record(CommandOutcome.ROLLED_BACK.result(journal.commandId(), text));
        LOG.log(Level.WARNING, "firmware " + journal.version() + ": " + result.message());
        return result;
    }

    private CommandResult fail(long commandId, UpdateRequest request, String reason) {
        OtaJournal.clear(stateDirectory);
        send(request, OtaState.FAILED, 0, reason);
        LOG.log(Level.WARNING, "firmware update " + request + " failed: " + reason);
        return record(CommandOutcome.FAILED.result(commandId, reason));
    }

    private CommandResult record(CommandResult result) {
        executed.record(result);
        return result;
    }

    /** {@code tampered: …}, {@code bad signature: …}, {@code wrong model: …}, {@code downgrade refused: …}… */
    static String describe(FirmwareException e) {
        String detail = e.getMessage().substring(e.reason().name().length() + 2);
        String label = switch (e.reason()) {
            case TAMPERED -> "tampered";
            case BAD_SIGNATURE -> "bad signature";
            case BAD_MANIFEST -> "bad manifest";
            case WRONG_MODEL -> "wrong model";
            case DOWNGRADE -> "downgrade refused";
            case HASH_MISMATCH -> "hash mismatch";
            case IO -> "download failed";
        };
        return label + ": " + detail;
    }

    private void send(UpdateRequest request, OtaState state, int percent, String message) {
        Registration target = registration;
        if (target != null && !closed) {
            target.sendStatus(new OtaStatus(request.releaseId(), request.version(), state, percent,
                    Utf8Text.truncate(message, OtaStatus.MAX_MESSAGE_BYTES)));
        }
    }

    private static OtaStatus status(OtaJournal journal, OtaState state, int percent, String message) {
        return new OtaStatus(journal.releaseId(), journal.version(), state, percent, Utf8Text.truncate(message, OtaStatus.MAX_MESSAGE_BYTES));
    }

    private Path plainImage(String releaseId) {
        return otaDirectory.resolve(releaseId + ".img");
    }

    /** Partial downloads of other releases are of no more use. */
    private void deleteOtherDownloads(String releaseId) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(otaDirectory, "*.{part,img}")) {
            for (Path file : files) {
                if (!file.getFileName().toString().equals(releaseId + ".part")) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot delete " + file + ": " + e.getMessage());
        }
    }
}
