package io.starconsole.functions.jobs;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.RepeatedWarnings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one step of a periodic job (offline check, lease reclaim, command sweep, rollout step): waits
 * for it, logs what it changed, and warns of a failure once per kind and minute. A step that fails
 * while the functions stop is not warned about: their database pool closes under it, and the
 * operator who stopped them would otherwise read "offline check failed" at every stop.
 */
@ApplicationScoped
public class JobSteps {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private volatile boolean stopping;

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Runs {@code step}, which answers how many things it changed; logs {@code doneMessage} (a
     * format with one {@code %d}) when it changed any. False if it failed.
     */
    public boolean run(Logger log, RepeatedWarnings failures, String job, Supplier<Uni<Integer>> step,
                       String doneMessage) {
        try {
            int changed = step.get().await().atMost(STEP_TIMEOUT);
            if (changed > 0) {
                log.infof(doneMessage, changed);
            }
            return true;
        } catch (RuntimeException e) {
            if (!stopping) {
                failures.warn(job + " failed: " + RepeatedWarnings.kind(e));
            }
            return false;
        }
    }
}
