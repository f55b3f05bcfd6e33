package io.starconsole.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestTest {

    static final String PLAIN_SHA = "a".repeat(128);
    static final String ENC_SHA = "b".repeat(128);

    static Manifest sample() {
        return Manifest.of("spnbox-1", "1.2.3", 100, PLAIN_SHA, ChunkedCipher.encryptedSize(100, 65536), ENC_SHA,
                65536, Instant.parse("2025-01-02T03:04:05Z"), List.of("spnbox-1", "spnbox-0"));
    }

    static final String CANONICAL = "{\"chunkSize\":65536,\"cipher\":\"AES-256-GCM-CHUNKED-1\","
            + "\"compatibleModels\":[\"spnbox-1\",\"spnbox-0\"],\"encryptedSha512\":\"" + ENC_SHA + "\","
            + "\"encryptedSize\":133,\"format\":1,\"imageKey\":\"firmware/spnbox-1/1.2.3/image.enc\","
            + "\"model\":\"spnbox-1\",\"plainSha512\":\"" + PLAIN_SHA + "\",\"plainSize\":100,"
            + "\"releasedAt\":\"2025-01-02T03:04:05Z\",\"version\":\"1.2.3\"}";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertBad(String json) {
        assertBad(utf8(json));
    }

    static void assertBad(byte[] json) {
        assertThatThrownBy(() -> Manifest.parse(json))
                .isInstanceOfSatisfying(FirmwareException.class,
                        e -> assertThat(e.reason()).isEqualTo(FirmwareException.Reason.BAD_MANIFEST));
    }

    @Test
    void toCanonicalJson_sortsNamesWithoutWhitespace() {
        assertThat(new String(sample().toCanonicalJson(), StandardCharsets.UTF_8)).isEqualTo(CANONICAL);
    }

    @Test
    void parse_canonicalJson_roundTripsToTheSameBytes() {
        Manifest parsed = Manifest.parse(utf8(CANONICAL));

        assertThat(parsed).isEqualTo(sample());
        assertThat(parsed.toCanonicalJson()).isEqualTo(utf8(CANONICAL));
        assertThat(parsed.manifestKey()).isEqualTo("firmware/spnbox-1/1.2.3/manifest.json");
        assertThat(parsed.isCompatibleWith("spnbox-0")).isTrue();
        assertThat(parsed.isCompatibleWith("other")).isFalse();
    }

    @Test
    void parse_whitespaceAndOtherOrder_isAcceptedAndCanonicalisedAgain() {
        String spaced = CANONICAL.replace(",", ",\n  ").replace("\":", "\" : ").replace("{", "{ ");
        String reordered = "{\"version\":\"1.2.3\"," + CANONICAL.substring(1).replace(",\"version\":\"1.2.3\"", "");

        assertThat(Manifest.parse(utf8(spaced)).toCanonicalJson()).isEqualTo(utf8(CANONICAL));
        assertThat(Manifest.parse(utf8(reordered)).toCanonicalJson()).isEqualTo(utf8(CANONICAL));
    }

    @Test
    void parse_unknownField_isBad() {
        assertBad(CANONICAL.replace("{", "{\"extra\":\"x\","));
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunkSize", "cipher", "compatibleModels", "encryptedSha512", "encryptedSize", "format",
            "imageKey", "model", "plainSha512", "plainSize", "releasedAt", "version"})
    void parse_missingField_isBad(String field) {
        String json = CANONICAL.replaceAll("\"" + field + "\":(\"[^\"]*\"|\\[[^]]*]|[0-9]+),?", "")
                .replace(",}", "}");

        assertThat(json).doesNotContain("\"" + field + "\"");
        assertBad(json);
    }

    @Test
    void parse_duplicateField_isBad() {
        assertBad(CANONICAL.replace("{", "{\"format\":1,"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"format\":\"1\"", "\"format\":1.0", "\"format\":1e0", "\"format\":true", "\"format\":null",
        "\"format\":-1", "\"format\":01", "\"format\":2", "\"plainSize\":\"100\"", "\"model\":1",
        "\"model\":[\"spnbox-1\"]", "\"compatibleModels\":\"spnbox-1\"", "\"compatibleModels\":[1]",
        "\"releasedAt\":\"yesterday\"", "\"chunkSize\":0", "\"format\":{}", "\"encryptedSize\":99999999999999999999"})
    void parse_badTypeOrValue_isBad(String replacement) {
        String name = replacement.substring(0, replacement.indexOf(':') + 1);
        String json = CANONICAL.replaceFirst("\\Q" + name + "\\E(\"[^\"]*\"|\\[[^]]*]|[0-9]+)",
                java.util.regex.Matcher.quoteReplacement(replacement));

        assertThat(json).contains(replacement);
        assertBad(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "null", "{\"format\":1", "{}garbage", "{} {}", "{\"a\" 1}", "{,}"})
    void parse_malformedJson_isBad(String json) {
        assertBad(json);
    }

    @Test
    void parse_contradictoryValues_areBad() {
        assertBad(CANONICAL.replace("\"encryptedSize\":133", "\"encryptedSize\":134"));
        assertBad(CANONICAL.replace("firmware/spnbox-1/1.2.3/image.enc", "firmware/other/1.2.3/image.enc"));
        assertBad(CANONICAL.replace("[\"spnbox-1\",\"spnbox-0\"]", "[\"spnbox-0\"]"));
        assertBad(CANONICAL.replace("[\"spnbox-1\",\"spnbox-0\"]", "[\"spnbox-1\",\"spnbox-1\"]"));
        assertBad(CANONICAL.replace(PLAIN_SHA, PLAIN_SHA.toUpperCase()));
        assertBad(CANONICAL.replace("AES-256-GCM-CHUNKED-1", "AES-128-CBC"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "A", "", "-a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void parse_invalidModelName_isBad(String model) {
        assertBad(CANONICAL.replace("\"model\":\"spnbox-1\"", "\"model\":\"" + model + "\""));
    }

    @Test
    void parse_escapes_areDecodedAndInvalidOnesRefused() {
        assertThat(Manifest.parse(utf8(CANONICAL.replace("\"1.2.3\"}", "\"1\\u002e2\\u002E3\"}"))).version())
                .isEqualTo("1.2.3");
        assertThat(Manifest.parse(utf8(CANONICAL.replace("\"cipher\"", "\"ciph\\u0065r\""))).cipher())
                .isEqualTo(ChunkedCipher.CIPHER_NAME);
        assertBad(CANONICAL.replace("\"1.2.3\"}", "\"1.2\\x3\"}"));
        assertBad(CANONICAL.replace("\"1.2.3\"}", "\"1.2\\u00\"}"));
        assertBad(CANONICAL.replace("\"1.2.3\"}", "\"1.2.3\\ud800\"}"));
        assertBad(CANONICAL.replace("\"1.2.3\"}", "\"1.2.3\n\"}"));
        assertBad(CANONICAL.replace("\"1.2.3\"}", "\"1.2\\\"3\"}"));
    }

    @Test
    void parse_invalidUtf8OrOversize_isBad() {
        byte[] json = utf8(CANONICAL.replace("\"1.2.3\"}", "\"1.2.3X\"}"));
        json[json.length - 3] = (byte) 0xc3;
        assertBad(json);
        assertBad(new byte[Manifest.MAX_SIZE_IN_BYTES + 1]);
        assertBad((byte[]) null);
    }

    @Test
    void canonicalJson_escapesQuotesBackslashesAndControls() {
        StringBuilder out = new StringBuilder();
        Json.writeString(out, "a\"b\\c\nd\u0001é/");

        assertThat(out).hasToString("\"a\\\"b\\\\c\\nd\\u0001é/\"");
    }

    @Test
    void of_invalidNames_areRefusedBeforeAnyKeyIsBuilt() {
        assertThatThrownBy(() -> Manifest.of("../etc", "1.0", 0, PLAIN_SHA, 33, ENC_SHA, 65536, Instant.EPOCH,
                List.of("../etc"))).isInstanceOf(FirmwareException.class);
        assertThatThrownBy(() -> Manifest.of("m", "1.0/../../x", 0, PLAIN_SHA, 33, ENC_SHA, 65536, Instant.EPOCH,
                List.of("m"))).isInstanceOf(FirmwareException.class);
    }
}
