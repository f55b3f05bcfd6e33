package io.starconsole.agent.lifecycle;

import io.starconsole.protocol.message.CommandResult;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The last command result sent and not yet acknowledged. While the edge answers NOK TRY_AGAIN (the
 * console could not record it: its database is down), the result is sent again with back-off until
 * the edge says OK; the registry takes a repeated result once. Without this, a result refused during
 * an outage waited for the command's redelivery, which costs an attempt and the visibility timeout.
 *
 * <p>One result at most: a box runs one command at a time, and a new command can only be leased once
 * the console is back, when the earlier result goes through too (and if not, redelivery still
 * covers it). Not thread-safe: the lifecycle holds its lock.
 */
final class UnacknowledgedResult {

    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private CommandResult result;
    private ScheduledFuture<?> retry;

    UnacknowledgedResult(Backoff backoff, ScheduledExecutorService scheduler) {
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    /** {@code sent} is now the result waiting for the edge's OK. */
    void sent(CommandResult sent) {
        if (sent != result) {
            cancel();
            result = sent;
            backoff.reset();
        }
    }

    void acknowledged() {
        cancel();
        result = null;
    }

    /**
     * Called by the scheduled resend as it starts (under the lifecycle's lock, before sending): a
     * TRY_AGAIN to this resend schedules the next one. True if {@code candidate} still waits for OK.
     */
    boolean resendStarts(CommandResult candidate) {
        retry = null;
        return candidate != null && candidate == result;
    }

    /**
     * The edge could not take the result: {@code resend} gets it after a back-off. Returns the wait,
     * or null when nothing waits or a resend is already scheduled (several TRY_AGAINs, one resend).
     */
    Duration refused(Consumer<CommandResult> resend) {
        if (result == null || retry != null) {
            return null;
        }
        CommandResult again = result;
        Duration wait = backoff.next();
        retry = scheduler.schedule(() -> resend.accept(again), wait.toNanos(), TimeUnit.NANOSECONDS);
        return wait;
    }

    void cancel() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }
}
