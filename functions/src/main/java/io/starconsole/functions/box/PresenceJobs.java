package io.starconsole.functions.box;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.RepeatedWarnings;
import io.starconsole.functions.jobs.JobSteps;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The periodic offline check and lease reclaim. Each is one statement that changes a row once, so
 * several function instances may run them at the same time. Off in tests
 * ({@code star-console.presence.jobs-enabled=false}): tests call {@link PresenceService} with the time they want.
 */
public class PresenceJobs {

    private static final Logger LOG = Logger.getLogger(PresenceJobs.class);
    private static final RepeatedWarnings FAILURES = new RepeatedWarnings(LOG);

    private final PresenceService presence;
    private final PresenceConfig config;
    private final JobSteps steps;
    /** Since when the offline check has reached the database without a break; null before it has. */
    private volatile OffsetDateTime listeningSince;

    public PresenceJobs(PresenceService presence, PresenceConfig config, JobSteps steps) {
        this.presence = presence;
        this.config = config;
        this.steps = steps;
    }

    @Scheduled(identity = "presence-offline-check", every = "${star-console.presence.check-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markSilentBoxesOffline() {
        OffsetDateTime now = now();
        OffsetDateTime since = listeningSince == null ? now : listeningSince;
        // After an outage of the database, a box is judged on what it said since the console could
        // hear again: the edges relay the heartbeats they kept within a second or two.
        boolean reached = run("offline check", () -> presence.markSilentBoxesOffline(now, since),
                "%d boxes went offline");
        listeningSince = reached ? since : null;
    }

    @Scheduled(identity = "lease-reclaim", every = "5m", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reclaimLeases() {
        run("lease reclaim", () -> presence.reclaimLeases(now()), "reclaimed the SPN IPs of %d long-absent boxes");
    }

    /** Runs one step; false if it failed (the database did not answer). */
    private boolean run(String job, Supplier<Uni<Integer>> step, String doneMessage) {
        return config.jobsEnabled() && steps.run(LOG, FAILURES, job, step, doneMessage);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
