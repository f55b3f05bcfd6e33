package io.starconsole.firmware;

/**
 * Why a firmware image, manifest or signature was refused. Unchecked, with a reason a caller can
 * map to a status ("tampered", "bad signature"...); messages never carry key material.
 */
public final class FirmwareException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The reasons the OTA contract names; the agent reports them in its command result. */
    public enum Reason {
        /** An encrypted image failed authentication: changed, truncated, reordered, spliced or wrong key. */
        TAMPERED,
        /** No signature by a trusted key verifies the manifest. */
        BAD_SIGNATURE,
        /** The manifest is not the strict JSON object the contract defines. */
        BAD_MANIFEST,
        /** The box's model is not in the manifest's compatible models. */
        WRONG_MODEL,
        /** The release is not newer than what runs, and no force was given. */
        DOWNGRADE,
        /** A SHA-512 does not match the manifest. */
        HASH_MISMATCH,
        /** Reading or writing a stream failed. */
        IO
    }

    private final Reason reason;

    public FirmwareException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FirmwareException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return reason + ": " + super.getMessage();
    }
}
