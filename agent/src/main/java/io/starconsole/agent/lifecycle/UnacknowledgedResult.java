package io.starconsole.agent.lifecycle;

import io.starconsole.protocol.message.CommandResult;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The last command result sent and not yet acknowledged: it is sent again with back-off until the
 * edge says OK. Unanswered, because the result or the edge's OK was lost on the way (a lossy
 * link), or refused with NOK TRY_AGAIN (the console could not record it: its database is down).
 * The registry takes a repeated result once, and the edge does not relay a repeat while the first
 * is still on its way. Without this, a lost result or OK cost the box its acknowledgement timeout
 * before its follow-up and next command, and the result waited for the command's redelivery, which
 * costs an attempt and the visibility timeout.
 *
 * <p>One result at most: a box runs one command at a time, and a newer result replaces an older
 * one (whose command is then covered by redelivery). Not thread-safe: the lifecycle holds its lock.
 */
final class UnacknowledgedResult {

    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private CommandResult result;
    private ScheduledFuture<?> resend;

    UnacknowledgedResult(Backoff backoff, ScheduledExecutorService scheduler) {
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    /**
     * {@code sent} has just been sent (again): {@code resend} gets it after the next back-off unless
     * the edge acknowledges it first. A result other than the one waiting starts the back-off anew.
     */
    void sent(CommandResult sent, Consumer<CommandResult> resend) {
        cancel();
        if (sent != result) {
            result = sent;
            backoff.reset();
        }
        this.resend = scheduler.schedule(() -> resend.accept(sent), backoff.next().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True while {@code candidate} is the result waiting for the edge's OK. */
    boolean waitsFor(CommandResult candidate) {
        return candidate != null && candidate == result;
    }

    /** How long until the result is sent again; null when none waits. */
    Duration untilResend() {
        ScheduledFuture<?> next = resend;
        return result == null || next == null ? null : Duration.ofNanos(Math.max(0, next.getDelay(TimeUnit.NANOSECONDS)));
    }

    /** The edge took it, or it no longer applies (the box changed its key): nothing is sent again. */
    void settled() {
        cancel();
        result = null;
    }

    void cancel() {
        if (resend != null) {
            resend.cancel(false);
            resend = null;
        }
    }
}
