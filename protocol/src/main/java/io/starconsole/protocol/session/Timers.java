package io.starconsole.protocol.session;

import java.util.concurrent.TimeUnit;

/** The protocol's timers and limits (docs/protocol.md, "State machines"). */
public final class Timers {

    /** The box starts a new handshake (RECONNECT) when its session is this old. */
    public static final long REKEY_AFTER_TIME_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** Neither side seals or opens with a session this old. */
    public static final long REJECT_AFTER_TIME_NANOS = TimeUnit.SECONDS.toNanos(180);
    /** The box re-keys after sending this many datagrams in one session. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 59;
    /** No counter at or above this is sealed or accepted. */
    public static final long REJECT_AFTER_MESSAGES = 1L << 60;
    /** The box sends a fresh initiation if no response came within this time. */
    public static final long REKEY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The box gives up a round of handshake attempts after this long and backs off. */
    public static final long REKEY_ATTEMPT_TIME_NANOS = TimeUnit.SECONDS.toNanos(90);
    /** The edge must answer a consumed initiation within this time, or the pending handshake expires. */
    public static final long PENDING_HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The edge's cookie secret changes this often; a box uses a cookie for at most this long. */
    public static final long COOKIE_SECRET_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** The box pings this often. */
    public static final long PING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private Timers() {
    }
}
