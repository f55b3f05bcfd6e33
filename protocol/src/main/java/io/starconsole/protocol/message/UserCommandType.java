package io.starconsole.protocol.message;

/** The seed's user commands (numbers from skywalker/list.go); append only. */
public enum UserCommandType implements WireCode {
    CHANGE_SPNBOX_NAME(100),
    CHANGE_ADMIN_PASSWORD(101),
    REBOOT_SPNBOX(102),
    GOTO_FACTORY_DEFAULT_STATE(103),
    CHANGE_L3_SPN_IP_ADDRESS(104),
    CHANGE_L3_SPN_LISTEN_PORT(105),
    ADD_L3_SPN_TUNNEL(106),
    REMOVE_L3_SPN_TUNNEL(107),
    REGENERATE_L3_SPN_KEY(108),
    ADD_P2P_SPN_TUNNEL(109),
    REMOVE_P2P_SPN_TUNNEL(110),
    FLUSH_USER_CMDS(111),
    /** Star Console: install a signed firmware release (OTA); contents in docs/ota.md. */
    UPDATE_FIRMWARE(112);

    private final int code;

    UserCommandType(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }
}
