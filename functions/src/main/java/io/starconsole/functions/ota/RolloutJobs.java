package io.starconsole.functions.ota;

import io.quarkus.scheduler.Scheduled;
import io.starconsole.functions.error.RepeatedWarnings;
import io.starconsole.functions.jobs.JobSteps;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Runs {@link RolloutEngine#tick} periodically; off in tests (they call it with their own time). */
public class RolloutJobs {

    private static final Logger LOG = Logger.getLogger(RolloutJobs.class);
    private static final RepeatedWarnings FAILURES = new RepeatedWarnings(LOG);

    private final RolloutEngine engine;
    private final OtaConfig config;
    private final JobSteps steps;

    public RolloutJobs(RolloutEngine engine, OtaConfig config, JobSteps steps) {
        this.engine = engine;
        this.config = config;
        this.steps = steps;
    }

    @Scheduled(identity = "ota-rollouts", every = "${star-console.ota.jobs-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void step() {
        if (config.jobsEnabled()) {
            steps.run(LOG, FAILURES, "rollout step", () -> engine.tick(OffsetDateTime.now(ZoneOffset.UTC)),
                    "rollouts: %d boxes or rollouts changed");
        }
    }
}
