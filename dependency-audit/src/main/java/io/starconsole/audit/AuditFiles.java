package io.starconsole.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads the CycloneDX SBOM, security/advisories.json and security/accepted.json. */
public final class AuditFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditFiles() {
    }

    /** The SBOM's libraries (CycloneDX JSON, as the cyclonedx-maven-plugin writes it), sorted and once each. */
    public static List<Component> components(Path sbom) throws IOException {
        Set<String> seen = new TreeSet<>();
        List<Component> components = new ArrayList<>();
        collect(JSON.readTree(sbom.toFile()).path("components"), seen, components);
        return components;
    }

    private static void collect(JsonNode list, Set<String> seen, List<Component> into) {
        for (JsonNode node : list) {
            Component component = new Component(node.path("group").asText(""), node.path("name").asText(),
                    node.path("version").asText(""));
            if (!component.version().isEmpty() && seen.add(component.toString())) {
                into.add(component);
            }
            collect(node.path("components"), seen, into);
        }
    }

    /** {@code {"reviewed": "...", "advisories": [{"id", "artifacts": [...], "affected", "severity", "summary"}]}}. */
    public static List<Advisory> advisories(Path file) throws IOException {
        List<Advisory> advisories = new ArrayList<>();
        for (JsonNode node : JSON.readTree(file.toFile()).path("advisories")) {
            List<String> artifacts = new ArrayList<>();
            node.path("artifacts").forEach(a -> artifacts.add(a.asText()));
            advisories.add(new Advisory(node.path("id").asText(), artifacts, node.path("affected").asText(),
                    Advisory.Severity.parse(node.path("severity").asText()), node.path("summary").asText()));
        }
        return advisories;
    }

    /** {@code {"accepted": [{"id", "artifact", "reason", "reviewed"}]}}. */
    public static List<Acceptance> acceptances(Path file) throws IOException {
        List<Acceptance> acceptances = new ArrayList<>();
        for (JsonNode node : JSON.readTree(file.toFile()).path("accepted")) {
            acceptances.add(new Acceptance(node.path("id").asText(), node.path("artifact").asText(),
                    node.path("reason").asText(), node.path("reviewed").asText()));
        }
        return acceptances;
    }
}
