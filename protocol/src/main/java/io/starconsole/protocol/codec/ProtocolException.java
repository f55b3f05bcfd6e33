package io.starconsole.protocol.codec;

/**
 * The only error the library raises for bad input: a truncated, malformed, forged, replayed or
 * otherwise unacceptable datagram. The {@link Reason} is meant for metrics; the message is terse
 * and never carries key material or plaintext.
 *
 * <p>No stack trace is captured: junk input is expected on a public UDP port and must be cheap to
 * reject.
 */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a datagram or message was rejected. */
    public enum Reason {
        /** Fewer bytes than the layout needs. */
        TRUNCATED,
        /** Bytes left over after the last field. */
        TRAILING_BYTES,
        /** The leading version byte is neither 0x02 (JEDI/2) nor 0x03 (JEDI/3), or not the session's. */
        UNSUPPORTED_VERSION,
        /** The packet kind byte is not one of the four kinds. */
        UNKNOWN_PACKET_KIND,
        /** The message type byte is not a known message type. */
        UNKNOWN_MESSAGE_TYPE,
        /** The datagram length does not fit its packet kind, or exceeds 1200 bytes. */
        BAD_LENGTH,
        /** A field holds a value outside its documented range (reserved bits, enum code, UTF-8...). */
        INVALID_FIELD,
        /** A length-prefixed field is longer than its documented maximum. */
        FIELD_TOO_LONG,
        /** mac1 of a handshake message does not match: junk, or sent to another edge key. */
        BAD_MAC1,
        /** The source exceeded its handshake rate. */
        RATE_LIMITED,
        /** AEAD tag check failed, or a Diffie-Hellman result was degenerate. */
        AUTHENTICATION_FAILED,
        /** A handshake initiation whose timestamp is not newer than the last one accepted for its key. */
        STALE_TIMESTAMP,
        /** A transport counter already seen, or older than the replay window. */
        REPLAY,
        /** The session is past its lifetime or its message limit, or a pending handshake timed out. */
        EXPIRED,
        /** The receiver index names no session or handshake of ours. */
        UNKNOWN_SESSION,
        /** A well-formed message that is not allowed at this point (e.g. a PING inside a handshake). */
        UNEXPECTED_MESSAGE
    }

    private final Reason reason;

    public ProtocolException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "ProtocolException[" + reason + "]: " + getMessage();
    }
}
