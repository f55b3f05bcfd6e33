package io.starconsole.agent;

import io.starconsole.agent.backend.CommandRunner;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * systemd's watchdog without native code: when systemd sets {@code WATCHDOG_USEC} (the unit's
 * {@code WatchdogSec=}), the agent runs {@code systemd-notify WATCHDOG=1} at half that period from
 * its shared scheduler, and only while its receive thread is alive. A stuck scheduler or a dead
 * receive thread stops the notifications and systemd restarts the agent. The unit needs
 * {@code NotifyAccess=all} because the message comes from the child process.
 */
public final class SystemdWatchdog {

    private static final Logger LOG = System.getLogger(SystemdWatchdog.class.getName());

    private SystemdWatchdog() {
    }

    /** The notification period asked for by {@code env}, if systemd asked for one. */
    static Optional<Duration> period(Map<String, String> env) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || env.get("NOTIFY_SOCKET") == null) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 500L)) : Optional.empty(); // half of it
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Schedules the notifications if systemd asked for them; true if it did. */
    public static boolean startIfRequested(Map<String, String> env, ScheduledExecutorService scheduler, CommandRunner runner,
            BooleanSupplier healthy) {
        Optional<Duration> period = period(env);
        if (period.isEmpty()) {
            return false;
        }
        long nanos = period.get().toNanos();
        scheduler.scheduleAtFixedRate(() -> {
            if (!healthy.getAsBoolean()) {
                LOG.log(Level.ERROR, "unhealthy: not notifying the watchdog");
                return;
            }
            try {
                runner.run(List.of("systemd-notify", "WATCHDOG=1"), null);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "systemd-notify: " + e.getMessage());
            }
        }, 0, nanos, TimeUnit.NANOSECONDS);
        LOG.log(Level.INFO, "systemd watchdog: notifying every " + period.get().toMillis() + " ms");
        return true;
    }
}
