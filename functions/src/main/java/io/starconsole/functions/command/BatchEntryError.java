package io.starconsole.functions.command;

import io.starconsole.functions.error.ApiException;

/**
 * Why one entry of a batched edge call was not carried out, in the shape of the API's error body
 * ({@code status} is what the single call would have answered); the batch's other entries go on.
 */
public record BatchEntryError(int status, String code, String message, String field) {

    static BatchEntryError of(ApiException refusal) {
        return new BatchEntryError(refusal.status().getStatusCode(), refusal.code(), refusal.getMessage(),
                refusal.field());
    }

    /** A failure that may pass (the database busy or away): the edge tells the box to try again. */
    static BatchEntryError unavailable(Throwable failure) {
        return new BatchEntryError(503, "unavailable", "not done now (" + failure.getClass().getSimpleName()
                + "); try again", null);
    }

    /** The same box named twice in one batch: only its first entry is carried out. */
    static BatchEntryError repeated() {
        return new BatchEntryError(400, "repeated_box", "the batch names this box more than once", "publicKey");
    }
}
