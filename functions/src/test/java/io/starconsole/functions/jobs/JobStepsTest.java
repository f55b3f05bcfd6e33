package io.starconsole.functions.jobs;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.RepeatedWarnings;
import io.vertx.core.impl.NoStackTraceThrowable;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobStepsTest {

    private static final Logger LOG = Logger.getLogger(JobStepsTest.class);

    private final List<String> warned = new ArrayList<>();
    private final RepeatedWarnings failures = new RepeatedWarnings(warned::add, System::nanoTime, Duration.ofMinutes(1));
    private final JobSteps steps = new JobSteps();

    @Test
    void run_stepAnswers_isTrue_andWarnsOfNothing() {
        assertThat(steps.run(LOG, failures, "offline check", () -> Uni.createFrom().item(3), "%d boxes went offline"))
                .isTrue();
        assertThat(warned).isEmpty();
    }

    @Test
    void run_stepFails_isFalse_andWarnsOfItsKind() {
        assertThat(steps.run(LOG, failures, "offline check",
                () -> Uni.createFrom().failure(new NoStackTraceThrowable("Timeout")), "%d boxes went offline")).isFalse();
        assertThat(warned).containsExactly("offline check failed: NoStackTraceThrowable: Timeout");
    }

    @Test
    void run_stepFailsWhileTheFunctionsStop_isFalse_andWarnsOfNothing() {
        steps.stopping(null);

        assertThat(steps.run(LOG, failures, "command sweep",
                () -> Uni.createFrom().failure(new NoStackTraceThrowable("Pool closed")), "%d")).isFalse();
        assertThat(warned).as("the pool closed under a step of a stopping console").isEmpty();
    }
}
