package io.starconsole.agent.lifecycle;

/** Where a box is in the registration state machine (docs/protocol.md 7.1, docs/agent.md). */
public enum BoxState {
    /** Not started. */
    IDLE,
    /** An initiation (HELLO or RECONNECT) is out, waiting for the edge's answer. */
    HANDSHAKING,
    /** Registered: pinging on a session. */
    ESTABLISHED,
    /** Waiting before the next registration attempt (edge silent, NOK, or pending approval). */
    BACKING_OFF,
    /** The edge answered NOK DENIED: the agent stays up but does not retry; an operator must act. */
    DENIED,
    /** Shut down (BYE sent if a session was up). */
    CLOSED
}
