package io.starconsole.audit;

/**
 * An advisory that is known to apply and is accepted for now, with the reason (why it cannot be
 * exploited here, or what stops the upgrade) and when that was last reviewed.
 */
public record Acceptance(String id, String artifact, String reason, String reviewed) {

    public boolean covers(Advisory advisory, Component component) {
        return id.equals(advisory.id()) && artifact.equals(component.coordinates());
    }
}
