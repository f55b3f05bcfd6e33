package io.starconsole.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check can fail: fake libraries inside and outside the affected ranges. */
class AdvisoryCheckTest {

    private static final Advisory RAPID_RESET = new Advisory("CVE-2023-44487", List.of("io.netty:netty-codec-http2"),
            "[4.0.0,4.1.100.Final)", Advisory.Severity.HIGH, "HTTP/2 rapid reset");
    private static final Advisory TWO_RANGES = new Advisory("CVE-2024-1300", List.of("io.vertx:vertx-core"),
            "[4.3.0,4.4.8),[4.5.0,4.5.3)", Advisory.Severity.CRITICAL, "two branches");
    private static final Advisory MEDIUM = new Advisory("CVE-2024-29025", List.of("io.netty:netty-codec-http"),
            "[4.0.0,4.1.108.Final)", Advisory.Severity.MEDIUM, "form fields");

    private static Component netty(String version) {
        return new Component("io.netty", "netty-codec-http2", version);
    }

    @Test
    void fakeDependencyInsideAHighRange_failsTheCheck() {
        AdvisoryCheck.Result result = AdvisoryCheck.run(List.of(netty("4.1.99.Final")), List.of(RAPID_RESET), List.of());

        assertThat(result.passes()).isFalse();
        assertThat(result.blocking()).singleElement()
                .satisfies(f -> assertThat(f.toString()).contains("CVE-2023-44487", "io.netty:netty-codec-http2:4.1.99.Final"));
    }

    @Test
    void fakeDependencyAtTheFixedVersionOrAbove_passes() {
        AdvisoryCheck.Result result = AdvisoryCheck.run(List.of(netty("4.1.100.Final"), netty("4.1.128.Final")),
                List.of(RAPID_RESET), List.of());

        assertThat(result.passes()).isTrue();
        assertThat(result.blocking()).isEmpty();
    }

    @Test
    void sameVersionOfAnotherArtifact_isNotAffected() {
        Component other = new Component("io.netty", "netty-buffer", "4.1.99.Final");

        assertThat(AdvisoryCheck.run(List.of(other), List.of(RAPID_RESET), List.of()).passes()).isTrue();
    }

    @Test
    void severalRanges_eachAffected_theGapBetweenIsNot() {
        List<Advisory> advisories = List.of(TWO_RANGES);

        assertThat(AdvisoryCheck.run(List.of(new Component("io.vertx", "vertx-core", "4.4.7")), advisories, List.of())
                .passes()).isFalse();
        assertThat(AdvisoryCheck.run(List.of(new Component("io.vertx", "vertx-core", "4.5.2")), advisories, List.of())
                .passes()).isFalse();
        assertThat(AdvisoryCheck.run(List.of(new Component("io.vertx", "vertx-core", "4.4.9")), advisories, List.of())
                .passes()).isTrue();
    }

    @Test
    void acceptedAdvisory_doesNotBlock_butIsReported() {
        Acceptance accepted = new Acceptance("CVE-2023-44487", "io.netty:netty-codec-http2", "no HTTP/2 listener",
                "2026-11-25");

        AdvisoryCheck.Result result = AdvisoryCheck.run(List.of(netty("4.1.99.Final")), List.of(RAPID_RESET),
                List.of(accepted));

        assertThat(result.passes()).isTrue();
        assertThat(result.accepted()).hasSize(1);
        assertThat(result.unused()).isEmpty();
    }

    @Test
    void acceptanceOfAnotherArtifact_doesNotCoverTheFinding_andIsUnused() {
        Acceptance elsewhere = new Acceptance("CVE-2023-44487", "io.netty:netty-codec-http", "wrong artifact", "2026-11-25");

        AdvisoryCheck.Result result = AdvisoryCheck.run(List.of(netty("4.1.99.Final")), List.of(RAPID_RESET),
                List.of(elsewhere));

        assertThat(result.passes()).isFalse();
        assertThat(result.unused()).containsExactly(elsewhere);
    }

    @Test
    void mediumAdvisory_isReported_butDoesNotBlock() {
        Component http = new Component("io.netty", "netty-codec-http", "4.1.90.Final");

        AdvisoryCheck.Result result = AdvisoryCheck.run(List.of(http), List.of(MEDIUM), List.of());

        assertThat(result.passes()).isTrue();
        assertThat(result.lowerSeverity()).hasSize(1);
    }

    @Test
    void malformedRange_isRefusedWhenTheListIsRead() {
        assertThatThrownBy(() -> new Advisory("CVE-0", List.of("a:b"), "[1.0,", Advisory.Severity.HIGH, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1.0,");
    }
}
