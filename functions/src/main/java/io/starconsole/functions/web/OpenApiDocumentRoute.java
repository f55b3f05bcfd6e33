package io.starconsole.functions.web;

import io.starconsole.functions.error.ErrorBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the API's OpenAPI document at {@code /q/openapi} ({@code ?format=json|yaml}, or JSON when
 * the caller accepts it; YAML otherwise) and at {@code /q/openapi.json}, {@code .yaml} and {@code .yml}.
 * The document is made at build time from the resources (see this package's description) and served byte for
 * byte: no start spends time reading and re-writing it, and it is read from the jar when first asked for.
 */
public class OpenApiDocumentRoute {

    static final String PATH = "/q/openapi";
    private static final String RESOURCE_DIRECTORY = "META-INF/star-console/";

    enum Format {
        JSON("openapi.json", "application/json;charset=UTF-8"),
        YAML("openapi.yaml", "application/yaml;charset=UTF-8");

        private final String resource;
        private final String contentType;
        private volatile Buffer document;

        Format(String file, String contentType) {
            this.resource = RESOURCE_DIRECTORY + file;
            this.contentType = contentType;
        }

        Buffer document() {
            Buffer loaded = document;
            if (loaded == null) {
                loaded = Buffer.buffer(read(resource));
                document = loaded;
            }
            return loaded;
        }
    }

    private static final Map<String, Format> BY_NAME =
            Map.of("json", Format.JSON, "yaml", Format.YAML, "yml", Format.YAML);
    private static final String UNKNOWN_FORMAT =
            Json.encode(new ErrorBody("format must be json or yaml", "invalid_field", "format"));

    void register(@Observes Router router) {
        for (Format format : Format.values()) {
            if (OpenApiDocumentRoute.class.getClassLoader().getResource(format.resource) == null) {
                throw new IllegalStateException("the build did not make the OpenAPI document " + format.resource
                        + " (smallrye-open-api-maven-plugin in the functions' pom)");
            }
        }
        router.route(PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(OpenApiDocumentRoute::negotiated);
        BY_NAME.forEach((extension, format) -> router.route(PATH + "." + extension)
                .method(HttpMethod.GET).method(HttpMethod.HEAD).handler(context -> send(context, format)));
    }

    private static void negotiated(RoutingContext context) {
        String asked = context.request().getParam("format");
        if (asked != null) {
            Format format = BY_NAME.get(asked.toLowerCase(Locale.ROOT));
            if (format == null) {
                context.response().setStatusCode(400)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(UNKNOWN_FORMAT);
                return;
            }
            send(context, format);
            return;
        }
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        send(context, accept != null && accept.contains("application/json") ? Format.JSON : Format.YAML);
    }

    private static void send(RoutingContext context, Format format) {
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, format.contentType).end(format.document());
    }

    private static byte[] read(String resource) {
        try (InputStream in = OpenApiDocumentRoute.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
