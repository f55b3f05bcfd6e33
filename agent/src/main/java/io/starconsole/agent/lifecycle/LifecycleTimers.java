package io.starconsole.agent.lifecycle;

import java.time.Duration;

/**
 * The lifecycle's timings. {@link #standard} is the protocol's (docs/protocol.md 7); tests use
 * short ones.
 *
 * @param pingInterval        PING every this long while established
 * @param missedPongLimit     this many PINGs in a row without PONG mean the edge is gone
 * @param handshakeTimeout    an initiation without answer for this long has failed
 * @param backoffBase         first back-off after a failure; doubles per failure
 * @param backoffMax          back-off ceiling
 * @param pendingApprovalWait wait after NOK PENDING_APPROVAL
 * @param resultResendBase    first wait before an unacknowledged command result is sent again; doubles
 *                            per repeat. Longer than a registration's back-off: under a broadcast the
 *                            edge's OK can take a second or more, and a repeat then is wasted.
 * @param resultAcknowledgementTimeout a result's follow-up (a reboot, a new key) and the box's next
 *                            command wait this long at most for the edge's OK to it
 */
public record LifecycleTimers(Duration pingInterval, int missedPongLimit, Duration handshakeTimeout, Duration backoffBase,
        Duration backoffMax, Duration pendingApprovalWait, Duration resultResendBase,
        Duration resultAcknowledgementTimeout) {

    public static LifecycleTimers standard(Duration pingInterval) {
        return new LifecycleTimers(pingInterval, 3, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }
}
