package io.starconsole.functions.admission;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who may register a new box. A box once accepted stays accepted whatever the policy becomes. */
public enum AdmissionPolicy {
    /** Any box (development, closed networks). */
    OPEN,
    /** A box that presents a valid enrolment token. */
    TOKEN,
    /** A box whose public key an operator added first. */
    PREREGISTERED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    /** The policy, or null for an unknown name. */
    @JsonCreator
    public static AdmissionPolicy fromWireName(String name) {
        for (AdmissionPolicy policy : values()) {
            if (policy.wireName().equals(name)) {
                return policy;
            }
        }
        return null;
    }
}
