package io.starconsole.functions.hostile;

import java.util.List;
import java.util.function.Function;

/**
 * One row of the hostile-input table: an endpoint as OpenAPI names it ({@code method} and path
 * template), who may call it, where to call it, a valid body and which of its fields are text.
 *
 * <p>{@code textFields} must be refused when hostile; {@code freeText} fields legitimately take any
 * text and are only required never to fail the server (their verbatim round trip is tested in
 * {@link FreeTextTest}). {@code queryText} are query parameters that are text.
 */
record Endpoint(String method, String template, Access access, Function<Fixtures, String> concrete, String body,
                List<String> textFields, List<String> otherFields, List<String> freeText, List<String> queryText) {

    /** Who calls. */
    enum Access { NONE, ADMIN, SPARE_ACCOUNT, EDGE }

    static Endpoint of(String method, String template, Access access) {
        return new Endpoint(method, template, access, fixtures -> fixtures.fill(template), null,
                List.of(), List.of(), List.of(), List.of());
    }

    /** Where to call it: the template with these path values (others from the fixtures). */
    Endpoint at(Function<Fixtures, String> where) {
        return new Endpoint(method, template, access, where, body, textFields, otherFields, freeText, queryText);
    }

    /** A valid JSON body; fields name nested values with dots ({@code hello.groupName}). */
    Endpoint body(String json) {
        return new Endpoint(method, template, access, concrete, json, textFields, otherFields, freeText, queryText);
    }

    Endpoint text(String... fields) {
        return new Endpoint(method, template, access, concrete, body, List.of(fields), otherFields, freeText, queryText);
    }

    /** Fields that are not text (numbers, booleans, objects, lists): they get values of the wrong type. */
    Endpoint other(String... fields) {
        return new Endpoint(method, template, access, concrete, body, textFields, List.of(fields), freeText, queryText);
    }

    Endpoint free(String... fields) {
        return new Endpoint(method, template, access, concrete, body, textFields, otherFields, List.of(fields), queryText);
    }

    Endpoint query(String... parameters) {
        return new Endpoint(method, template, access, concrete, body, textFields, otherFields, freeText, List.of(parameters));
    }

    boolean hasBody() {
        return body != null;
    }

    boolean hasPathParameters() {
        return template.contains("{");
    }

    String key() {
        return method + " " + template;
    }

    @Override
    public String toString() {
        return key();
    }
}
