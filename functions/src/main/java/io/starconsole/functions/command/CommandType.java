package io.starconsole.functions.command;

import io.starconsole.functions.error.ApiException;

import java.util.Locale;

/** The seed's user commands, numbered as in its {@code skywalker/list.go}; never renumbered. */
public enum CommandType {
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
    /** OTA (docs/ota.md): stored as {@code release=<id>|force=<0|1>}, expanded when leased. */
    UPDATE_FIRMWARE(112);

    /** What the API shows instead of a secret argument. */
    public static final String REDACTED = "********";

    private final int code;

    CommandType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * Network changes the box applies tentatively and rolls back itself unless it re-registers on
     * the new settings in time; they get the longer visibility timeout.
     */
    public boolean risky() {
        return this == CHANGE_L3_SPN_IP_ADDRESS || this == CHANGE_L3_SPN_LISTEN_PORT || this == REGENERATE_L3_SPN_KEY;
    }

    /** A newer queued change of the same setting supersedes an older still-queued one. */
    public boolean supersedes() {
        return this == CHANGE_SPNBOX_NAME || this == CHANGE_L3_SPN_IP_ADDRESS || this == CHANGE_L3_SPN_LISTEN_PORT;
    }

    public boolean secret() {
        return this == CHANGE_ADMIN_PASSWORD;
    }

    public boolean p2p() {
        return this == ADD_P2P_SPN_TUNNEL || this == REMOVE_P2P_SPN_TUNNEL;
    }

    /** The arguments as the API shows them. */
    public String shown(String contents) {
        return secret() ? REDACTED : contents;
    }

    public static CommandType ofCode(int code) {
        for (CommandType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown command type " + code);
    }

    /** The seed's name or number (as a JSON number or text); {@code field} names the input in errors. */
    public static CommandType parse(Object value, String field) {
        if (value == null || value.toString().isBlank()) {
            throw ApiException.badField(field, field + " is required: a command name such as CHANGE_SPNBOX_NAME or its number 100..112");
        }
        String text = value.toString().trim();
        if (text.matches("^\\d{3}$")) {
            int code = Integer.parseInt(text);
            for (CommandType type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
        } else {
            for (CommandType type : values()) {
                if (type.name().equals(text.toUpperCase(Locale.ROOT))) {
                    return type;
                }
            }
        }
        throw ApiException.badField(field, field + " must be a command name such as CHANGE_SPNBOX_NAME or its number 100..112");
    }
}
