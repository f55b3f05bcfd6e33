package io.starconsole.functions.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.LogConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.DbAssertions.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input sweep: every endpoint of {@link Endpoints} gets malformed JSON, values of the
 * wrong type, an oversize body, injection strings in every text field, hostile path and query
 * values and missing or forged credentials. Each answer is a 4xx with the one JSON error body (no
 * stack trace, no class name) and the database is left as it was; free-text fields may instead
 * take the text as plain data (see {@link FreeTextTest}). docs/security-checks.md explains it.
 */
@QuarkusTest
class HostileInputTest {

    /** Every table with state. The audit log is left out: refusals that matter (logins) are audited by design. */
    private static final List<String> TABLES = List.of("console_settings", "ota_download_tokens", "spnclients",
            "box_events", "enrolment_tokens", "preregistered_keys", "address_pools", "address_leases", "commands",
            "command_deliveries", "firmware_releases", "rollouts", "rollout_boxes", "admins", "admin_tokens");
    /** What would give away the server's insides: exception and package names, SQL states, stack frames. */
    private static final Pattern LEAK = Pattern.compile("Exception|\\tat |\\bat [a-z]+\\.[a-z]+\\.|java\\.|jakarta\\."
            + "|com\\.fasterxml|org\\.jboss|io\\.vertx|io\\.quarkus|io\\.starconsole|org\\.postgresql|SQLSTATE");
    private static final List<Variant> VARIANTS = Variant.all();
    private static Fixtures fixtures;

    @Inject
    Pool pool;

    static Stream<Arguments> variants() {
        return IntStream.range(0, VARIANTS.size()).mapToObj(i -> Arguments.of(VARIANTS.get(i).describe(), i));
    }

    private Fixtures fixtures() {
        if (fixtures == null) {
            fixtures = new Fixtures(pool);
        }
        return fixtures;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void hostileInput_onEveryEndpoint_isRefusedWithAJsonError_orTakenAsPlainDataByFreeText(String name, int index) {
        Variant variant = VARIANTS.get(index);
        Fixtures fixtures = fixtures();
        Map<String, Long> before = rowCounts();
        long lastAudit = lastAuditId();

        Response answer = send(variant, fixtures);

        int status = answer.statusCode();
        String body = answer.asString();
        assertThat(body).as("no server insides in the answer").doesNotContainPattern(LEAK);
        boolean refused = status >= 400 || refusedHello(answer) || everyEntryRefused(answer);
        if (variant.expect() == Variant.Expect.REFUSED) {
            assertThat(refused).as(name + " is refused: " + status + " " + body).isTrue();
        }
        assertThat(status).as(name + " answers below 500: " + body).isBetween(200, 499);
        if (status >= 400) {
            assertThat(answer.contentType()).as(name + " answers JSON: " + body).startsWith("application/json");
            JsonNode error = json(body);
            assertThat(error.path("error").asText()).as(name + " says why: " + body).isNotBlank();
            assertThat(error.path("code").asText()).as(name + " has a code: " + body).isNotBlank();
        }
        if (refused || variant.endpoint().method().equals("GET")) {
            assertThat(rowCounts()).as(name + " stores nothing").isEqualTo(before);
        }
        forgetFailedLogins(lastAudit);
    }

    @Test
    void table_coversEveryEndpointOfTheOpenApiDocument_andNoOther() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(method -> Set.of("get", "post", "put", "patch", "delete").contains(method))
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
        Set<String> table = Endpoints.all().stream().map(Endpoint::key).collect(Collectors.toCollection(TreeSet::new));

        assertThat(table).as("endpoints of the table (a new endpoint needs a row in Endpoints)")
                .containsExactlyElementsOf(documented);
        assertThat(table).hasSize(Endpoints.all().size());
    }

    @Test
    void requestLineOver4Kilobytes_isRefusedBeforeTheApplication_with414() {
        Map<String, Long> before = rowCounts();

        given().auth().oauth2(fixtures().token(Endpoint.Access.ADMIN)).queryParam("q", "x".repeat(10_000))
                .get("/api/v1/boxes").then().statusCode(414);

        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void table_everyRowGetsHostileVariants_andEveryBodyRowNamesItsFields() {
        for (Endpoint endpoint : Endpoints.all()) {
            assertThat(Variant.of(endpoint)).as(endpoint.key()).isNotEmpty();
            if (endpoint.hasBody()) {
                assertThat(endpoint.textFields().size() + endpoint.freeText().size() + endpoint.otherFields().size())
                        .as(endpoint.key()).isPositive();
            }
        }
    }

    private static Response send(Variant variant, Fixtures fixtures) {
        RequestSpecification request = given().urlEncodingEnabled(false)
                .config(RestAssured.config().logConfig(LogConfig.logConfig()));
        String token = variant.token(fixtures);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        byte[] body = variant.body(fixtures);
        if (body != null) {
            request.contentType(variant.contentType()).body(body);
        }
        return request.request(variant.endpoint().method(), variant.path(fixtures));
    }

    /** HELLO's own fields are the box's: refused with 200 NOK BAD_REQUEST, which the edge relays (docs/protocol.md). */
    private static boolean refusedHello(Response answer) {
        return answer.statusCode() == 200 && answer.asString().contains("\"nokReason\":\"BAD_REQUEST\"");
    }

    /**
     * A batch of the edges' API answers each entry: its entries are refused one by one, each with an
     * error object naming why, and the call itself succeeds (docs/commands.md).
     */
    private static boolean everyEntryRefused(Response answer) {
        if (answer.statusCode() != 200 || !answer.contentType().startsWith("application/json")) {
            return false;
        }
        JsonNode json = json(answer.asString());
        for (String list : List.of("leases", "results")) {
            JsonNode entries = json.path(list);
            if (entries.isArray() && !entries.isEmpty()) {
                for (JsonNode entry : entries) {
                    JsonNode error = entry.path("error");
                    if (!error.isObject() || !error.hasNonNull("code") || !error.hasNonNull("message")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Answers are read with Jackson ({@link Variant#JSON}) and requests sent without RestAssured's
     * log-if-validation-fails buffer: its Groovy path evaluation and its printing of every (oversize)
     * request body took most of this class's two minutes, and nothing here validates through RestAssured.
     */
    private static JsonNode json(String body) {
        try {
            return Variant.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private Map<String, Long> rowCounts() {
        String sql = TABLES.stream().map(t -> "(SELECT count(*) FROM " + t + ") AS " + t)
                .collect(Collectors.joining(", ", "SELECT ", ""));
        Row row = one(pool, sql);
        Map<String, Long> counts = new LinkedHashMap<>();
        TABLES.forEach(table -> counts.put(table, row.getLong(table)));
        return counts;
    }

    private long lastAuditId() {
        return one(pool, "SELECT coalesce(max(id), 0) AS id FROM audit_log").getLong("id");
    }

    /** Refused logins count towards the throttle of 127.0.0.1, which the other tests log in from. */
    private void forgetFailedLogins(long after) {
        query(pool, "DELETE FROM audit_log WHERE id > $1 AND action LIKE 'login.%'", after);
    }
}
