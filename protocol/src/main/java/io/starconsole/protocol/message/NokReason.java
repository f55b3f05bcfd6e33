package io.starconsole.protocol.message;

/** Why the edge refused a request (NOK). */
public enum NokReason implements WireCode {
    /** Admission policy refuses this box. Do not retry with the same key. */
    DENIED(1),
    /** The box is known but awaits an operator's approval; retry in 30 s. */
    PENDING_APPROVAL(2),
    /** Transient trouble behind the edge; retry with back-off. */
    TRY_AGAIN(3),
    /** The request's fields are not acceptable. */
    BAD_REQUEST(4),
    /** The edge holds no registration for this session; send HELLO again. */
    UNKNOWN_SESSION(5),
    /** No free SPN IP in the box's pool. */
    ADDRESS_EXHAUSTED(6),
    /** This message is not accepted from this side (e.g. SND_USER_CMD from a box). */
    NOT_ALLOWED(7);

    private final int code;

    NokReason(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }
}
