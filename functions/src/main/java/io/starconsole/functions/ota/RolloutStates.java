package io.starconsole.functions.ota;

import java.util.List;

/** The states of a box in a rollout (docs/ota.md section 7) and SQL fragments about them. */
final class RolloutStates {

    static final String[] ALL = {"pending", "downloading", "verifying", "installing", "rebooting", "succeeded",
            "failed", "rolled_back"};
    static final List<String> REPORTABLE = List.of(ALL);
    /** SQL: the states after which only a box's own failure report changes anything. */
    static final String FINAL = "('succeeded', 'failed', 'rolled_back')";
    static final String FAILURES = "('failed', 'rolled_back')";

    private RolloutStates() {
    }
}
