package io.starconsole.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's dependency check: the SBOM this module writes of everything that ships (compile and
 * runtime scope of functions, functions-lambda, udp-edge, agent, cli, ota-bucket and the launcher
 * with its local cloud) against security/advisories.json, less security/accepted.json.
 */
class ShippedDependenciesTest {

    private static Path file(String property) {
        return Path.of(System.getProperty(property));
    }

    private static List<Component> shipped() throws IOException {
        return AuditFiles.components(file("audit.sbom"));
    }

    @Test
    void shippedLibraries_haveNoUnacceptedHighOrCriticalAdvisory() throws IOException {
        AdvisoryCheck.Result result = AdvisoryCheck.run(shipped(), AuditFiles.advisories(file("audit.advisories")),
                AuditFiles.acceptances(file("audit.accepted")));

        result.accepted().forEach(f -> System.out.println("accepted: " + f));
        result.lowerSeverity().forEach(f -> System.out.println("below high, not blocking: " + f));
        assertThat(result.blocking()).as("libraries in the affected range of a high or critical advisory: upgrade,"
                        + " or accept with a reason in security/accepted.json")
                .isEmpty();
        assertThat(result.unused()).as("acceptances that match no shipped library any more: remove them").isEmpty();
    }

    @Test
    void acceptedList_everyEntryHasAReasonAndAReviewDate() throws IOException {
        for (Acceptance acceptance : AuditFiles.acceptances(file("audit.accepted"))) {
            assertThat(acceptance.reason()).as(acceptance.id()).isNotBlank();
            assertThat(acceptance.reviewed()).as(acceptance.id()).matches("\\d{4}-\\d{2}-\\d{2}");
        }
    }

    @Test
    void advisoryList_isReadable_andNamesMavenCoordinates() throws IOException {
        List<Advisory> advisories = AuditFiles.advisories(file("audit.advisories"));

        assertThat(advisories).hasSizeGreaterThan(30);
        assertThat(advisories).allSatisfy(a -> {
            assertThat(a.id()).matches("CVE-\\d{4}-\\d+");
            assertThat(a.artifacts()).isNotEmpty().allSatisfy(c -> assertThat(c).matches("[\\w.-]+:[\\w.-]+"));
        });
    }

    @Test
    void sbom_listsTheLibrariesOfTheShippedModules() throws IOException {
        List<String> coordinates = shipped().stream().map(Component::coordinates).collect(Collectors.toList());

        assertThat(coordinates).contains("io.netty:netty-codec-http", "io.vertx:vertx-core",
                "com.fasterxml.jackson.core:jackson-databind", "org.postgresql:postgresql",
                "org.bouncycastle:bcprov-jdk18on", "io.quarkus:quarkus-rest", "org.gaul:s3proxy");
        assertThat(coordinates).as("test-only libraries are not shipped").doesNotContain("org.junit.jupiter:junit-jupiter");
    }
}
