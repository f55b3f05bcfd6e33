package io.starconsole.functions.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document made at build time, as {@link OpenApiDocumentRoute} serves it: both formats,
 * and every resource method of the functions in it with the roles its annotations allow.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final String CLASSES = "target/classes";

    @Test
    void withoutFormat_isYaml_andJsonWhenTheCallerAcceptsIt() {
        Response yaml = given().get("/q/openapi");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.contentType()).startsWith("application/yaml");
        assertThat(yaml.asString()).contains("openapi: 3.1.0").contains("title: Star Console API");

        Response json = given().accept("application/json").get("/q/openapi");
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.jsonPath().getString("info.title")).isEqualTo("Star Console API");
    }

    @Test
    void formatParameter_andFileNames_serveTheSameDocuments() {
        byte[] json = given().queryParam("format", "JSON").get("/q/openapi").then().statusCode(200)
                .extract().asByteArray();
        byte[] yaml = given().queryParam("format", "yaml").get("/q/openapi").then().statusCode(200)
                .extract().asByteArray();

        assertThat(given().get("/q/openapi.json").then().statusCode(200)
                .contentType("application/json;charset=UTF-8").extract().asByteArray()).isEqualTo(json);
        assertThat(given().get("/q/openapi.yaml").asByteArray()).isEqualTo(yaml);
        assertThat(given().get("/q/openapi.yml").asByteArray()).isEqualTo(yaml);
        assertThat(given().head("/q/openapi.json").then().statusCode(200).extract().asByteArray()).isEmpty();
    }

    @Test
    void unknownFormat_isRefusedWithTheErrorBody() {
        given().queryParam("format", "xml").get("/q/openapi")
                .then().statusCode(400)
                .contentType("application/json")
                .body("field", org.hamcrest.Matchers.equalTo("format"))
                .body("error", org.hamcrest.Matchers.equalTo("format must be json or yaml"));
    }

    @Test
    void securityScheme_isHttpBearer_andEveryRefusalNamesTheErrorBody() {
        JsonPath document = json();
        assertThat(document.getMap("components.securitySchemes.bearer"))
                .containsEntry("type", "http").containsEntry("scheme", "bearer").doesNotContainKey("flows");
        assertThat(document.getMap("components.schemas.ErrorBody.properties")).containsOnlyKeys("error", "code", "field");
        assertThat(document.getMap("paths.'/api/v1/auth/login'.post.responses.'400'.content.'application/json'.schema"))
                .containsEntry("$ref", "#/components/schemas/ErrorBody");
    }

    /** From the classes themselves: a resource method missing from the document, or with other roles, fails. */
    @Test
    void everyResourceMethod_isDocumented_withTheRolesItAllows() throws Exception {
        Map<String, List<String>> fromCode = resourceMethodRoles();
        Map<String, List<String>> fromDocument = new TreeMap<>();
        Map<String, Map<String, Map<String, Object>>> paths = json().getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            List<Map<String, List<String>>> security = (List<Map<String, List<String>>>) operation.get("security");
            fromDocument.put(method.toUpperCase() + " " + path,
                    security == null ? List.of() : security.get(0).get("bearer"));
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            if (security != null) {
                assertThat(responses).as(method + " " + path).containsKeys("401", "403");
            }
        }));

        assertThat(fromCode).hasSizeGreaterThan(60);
        assertThat(fromDocument).isEqualTo(fromCode);
        assertThat(fromDocument).containsEntry("POST /api/v1/auth/login", List.of())
                .containsEntry("GET /api/v1/admins", List.of("admin"))
                .containsEntry("POST /internal/v1/register", List.of("edge"));
    }

    private static JsonPath json() {
        return given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    /** "GET /api/v1/boxes" to the roles of its {@code @RolesAllowed}; none for {@code @PermitAll}. */
    private static Map<String, List<String>> resourceMethodRoles() throws IOException, ClassNotFoundException {
        Map<String, List<String>> roles = new TreeMap<>();
        List<String> classNames;
        try (Stream<java.nio.file.Path> files = Files.walk(java.nio.file.Path.of(CLASSES))) {
            classNames = files.map(file -> java.nio.file.Path.of(CLASSES).relativize(file).toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        for (String className : classNames) {
            Class<?> type = Class.forName(className, false, OpenApiDocumentTest.class.getClassLoader());
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String path = classPath.value() + (methodPath == null ? "" : methodPath.value());
                roles.put(httpMethod + " " + path, allowedRoles(type, method));
            }
        }
        return roles;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static List<String> allowedRoles(Class<?> type, Method method) {
        if (method.isAnnotationPresent(PermitAll.class)) {
            return List.of();
        }
        RolesAllowed allowed = method.isAnnotationPresent(RolesAllowed.class)
                ? method.getAnnotation(RolesAllowed.class) : type.getAnnotation(RolesAllowed.class);
        return allowed == null ? List.of() : List.of(allowed.value());
    }
}
