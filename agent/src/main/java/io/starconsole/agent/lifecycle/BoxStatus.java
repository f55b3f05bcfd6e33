package io.starconsole.agent.lifecycle;

import java.util.Optional;

/**
 * A snapshot of one box's lifecycle, for tests, logs and the simulation's summary.
 *
 * @param registrations  OK / OK_NEWIP answers received
 * @param initiations    HANDSHAKE_INITIATIONs sent (HELLO or RECONNECT)
 * @param pingsSent      PINGs sent
 * @param pongsReceived  PONGs received
 * @param commandAsks    ASK_USER_CMDs sent
 * @param lastNok        the reason of the last NOK received, if any
 */
public record BoxStatus(BoxState state, long registrations, long initiations, long pingsSent, long pongsReceived,
        long commandAsks, Optional<String> lastNok) {
}
