package io.starconsole.functions.command;

import io.quarkus.scheduler.Scheduled;
import io.starconsole.functions.error.RepeatedWarnings;
import org.jboss.logging.Logger;

import java.time.Duration;
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
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    private final CommandQueue queue;
    private final CommandConfig config;

    public CommandJobs(CommandQueue queue, CommandConfig config) {
        this.queue = queue;
        this.config = config;
    }

    @Scheduled(identity = "command-sweep", every = "${star-console.commands.sweep-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!config.jobsEnabled()) {
            return;
        }
        try {
            int changed = queue.sweep(OffsetDateTime.now(ZoneOffset.UTC)).await().atMost(JOB_TIMEOUT);
            if (changed > 0) {
                LOG.infof("command sweep: %d deliveries expired or gave up", changed);
            }
        } catch (RuntimeException e) {
            FAILURES.warn("command sweep failed: " + RepeatedWarnings.kind(e));
        }
    }
}
