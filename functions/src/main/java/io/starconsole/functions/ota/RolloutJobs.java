package io.starconsole.functions.ota;

import io.quarkus.scheduler.Scheduled;
import io.starconsole.functions.error.RepeatedWarnings;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Runs {@link RolloutEngine#tick} periodically; off in tests (they call it with their own time). */
public class RolloutJobs {

    private static final Logger LOG = Logger.getLogger(RolloutJobs.class);
    private static final RepeatedWarnings FAILURES = new RepeatedWarnings(LOG);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private final RolloutEngine engine;
    private final OtaConfig config;

    public RolloutJobs(RolloutEngine engine, OtaConfig config) {
        this.engine = engine;
        this.config = config;
    }

    @Scheduled(identity = "ota-rollouts", every = "${star-console.ota.jobs-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void step() {
        if (!config.jobsEnabled()) {
            return;
        }
        try {
            int changed = engine.tick(OffsetDateTime.now(ZoneOffset.UTC)).await().atMost(JOB_TIMEOUT);
            if (changed > 0) {
                LOG.infof("rollouts: %d boxes or rollouts changed", changed);
            }
        } catch (RuntimeException e) {
            FAILURES.warn("rollout step failed: " + RepeatedWarnings.kind(e));
        }
    }
}
