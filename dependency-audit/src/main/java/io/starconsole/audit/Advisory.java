package io.starconsole.audit;

import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.InvalidVersionSpecificationException;
import org.apache.maven.artifact.versioning.VersionRange;

import java.util.List;
import java.util.Locale;

/**
 * A known vulnerability of one library: its id (CVE), the Maven coordinates it affects
 * ({@code group:artifact}; several when the fix spans artifacts), the affected versions in Maven's
 * range syntax (e.g. {@code [4.1.91.Final,4.1.118.Final)}, several ranges separated by commas) and
 * its severity.
 */
public record Advisory(String id, List<String> artifacts, String affected, Severity severity, String summary) {

    /** CVSS bands. Only HIGH and CRITICAL fail the build. */
    public enum Severity {
        LOW, MEDIUM, HIGH, CRITICAL;

        public boolean blocks() {
            return this == HIGH || this == CRITICAL;
        }

        public static Severity parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    public Advisory {
        artifacts = List.copyOf(artifacts);
        range(affected);
    }

    public boolean affects(Component component) {
        return artifacts.contains(component.coordinates())
                && range(affected).containsVersion(new DefaultArtifactVersion(component.version()));
    }

    private static VersionRange range(String spec) {
        try {
            return VersionRange.createFromVersionSpec(spec);
        } catch (InvalidVersionSpecificationException e) {
            throw new IllegalArgumentException("not a Maven version range: " + spec, e);
        }
    }
}
