package io.starconsole.protocol.message;

/** Steps of a firmware update as the box reports them in OTA_STATUS. */
public enum OtaState implements WireCode {
    PENDING(0),
    DOWNLOADING(1),
    VERIFYING(2),
    INSTALLING(3),
    REBOOTING(4),
    SUCCEEDED(5),
    FAILED(6),
    ROLLED_BACK(7);

    private final int code;

    OtaState(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }
}
