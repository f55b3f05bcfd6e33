package io.starconsole.functions.command;

import io.quarkus.scheduler.Scheduled;
import io.starconsole.functions.error.RepeatedWarnings;
import io.starconsole.functions.jobs.JobSteps;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The periodic sweep of the queue: deliveries past their expiry become {@code expired}, delivered
 * ones unacknowledged after the attempt cap {@code failed}, for boxes that no longer ask. Safe on
 * several instances at once. Off in tests: they call {@link CommandQueue#sweep} with their own time.
 */
public class CommandJobs {

    private static final Logger LOG = Logger.getLogger(CommandJobs.class);
    private static final RepeatedWarnings FAILURES = new RepeatedWarnings(LOG);

    private final CommandQueue queue;
    private final CommandConfig config;
    private final JobSteps steps;

    public CommandJobs(CommandQueue queue, CommandConfig config, JobSteps steps) {
        this.queue = queue;
        this.config = config;
        this.steps = steps;
    }

    @Scheduled(identity = "command-sweep", every = "${star-console.commands.sweep-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (config.jobsEnabled()) {
            steps.run(LOG, FAILURES, "command sweep", () -> queue.sweep(OffsetDateTime.now(ZoneOffset.UTC)),
                    "command sweep: %d deliveries expired or gave up");
        }
    }
}
