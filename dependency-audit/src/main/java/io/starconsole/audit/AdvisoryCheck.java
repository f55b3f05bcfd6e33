package io.starconsole.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches the shipped libraries against the advisories. A match of a high or critical advisory
 * that no acceptance covers blocks; accepted and lower-severity matches are reported only.
 * Acceptances that match nothing any more are reported too, so the list shrinks with upgrades.
 */
public final class AdvisoryCheck {

    /** One library in the affected range of one advisory. */
    public record Finding(Advisory advisory, Component component) {
        @Override
        public String toString() {
            return advisory.id() + " (" + advisory.severity() + ") in " + component + ": affected "
                    + advisory.affected() + " — " + advisory.summary();
        }
    }

    /** What the check found. The build fails when {@code blocking} is not empty. */
    public record Result(List<Finding> blocking, List<Finding> accepted, List<Finding> lowerSeverity,
                         List<Acceptance> unused) {
        public boolean passes() {
            return blocking.isEmpty();
        }
    }

    private AdvisoryCheck() {
    }

    public static Result run(List<Component> components, List<Advisory> advisories, List<Acceptance> acceptances) {
        List<Finding> blocking = new ArrayList<>();
        List<Finding> accepted = new ArrayList<>();
        List<Finding> lower = new ArrayList<>();
        List<Acceptance> used = new ArrayList<>();
        for (Advisory advisory : advisories) {
            for (Component component : components) {
                if (!advisory.affects(component)) {
                    continue;
                }
                Finding finding = new Finding(advisory, component);
                Acceptance acceptance = acceptances.stream().filter(a -> a.covers(advisory, component)).findFirst()
                        .orElse(null);
                if (acceptance != null) {
                    accepted.add(finding);
                    used.add(acceptance);
                } else if (advisory.severity().blocks()) {
                    blocking.add(finding);
                } else {
                    lower.add(finding);
                }
            }
        }
        List<Acceptance> unused = acceptances.stream().filter(a -> !used.contains(a)).toList();
        return new Result(blocking, accepted, lower, unused);
    }
}
