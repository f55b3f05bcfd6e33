package io.starconsole.functions.box;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Duration;
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
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private final PresenceService presence;
    private final PresenceConfig config;

    public PresenceJobs(PresenceService presence, PresenceConfig config) {
        this.presence = presence;
        this.config = config;
    }

    @Scheduled(identity = "presence-offline-check", every = "${star-console.presence.check-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void markSilentBoxesOffline() {
        run("offline check", () -> presence.markSilentBoxesOffline(now()), "%d boxes went offline");
    }

    @Scheduled(identity = "lease-reclaim", every = "5m", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reclaimLeases() {
        run("lease reclaim", () -> presence.reclaimLeases(now()), "reclaimed the SPN IPs of %d long-absent boxes");
    }

    private void run(String job, Supplier<Uni<Integer>> step, String doneMessage) {
        if (!config.jobsEnabled()) {
            return;
        }
        try {
            int changed = step.get().await().atMost(JOB_TIMEOUT);
            if (changed > 0) {
                LOG.infof(doneMessage, changed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s failed: %s", job, e.getClass().getSimpleName());
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
