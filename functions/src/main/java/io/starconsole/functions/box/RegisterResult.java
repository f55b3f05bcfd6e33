package io.starconsole.functions.box;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a HELLO. {@code outcome}: OK (the box keeps the address it asked for), OK_NEWIP
 * (it gets {@code spnIp}/{@code mask} instead, or asked for none), NOK with {@code nokReason} one of
 * DENIED, PENDING_APPROVAL, BAD_REQUEST, ADDRESS_EXHAUSTED, TRY_AGAIN and a {@code message} the
 * agent logs.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RegisterResult(Outcome outcome, Integer boxId, String spnIp, String mask, NokReason nokReason,
                             String message, boolean commandsPending) {

    public enum Outcome { OK, OK_NEWIP, NOK }

    public enum NokReason { DENIED, PENDING_APPROVAL, BAD_REQUEST, ADDRESS_EXHAUSTED, TRY_AGAIN }

    static RegisterResult nok(Integer boxId, NokReason reason, String message) {
        return new RegisterResult(Outcome.NOK, boxId, null, null, reason, message, false);
    }
}
