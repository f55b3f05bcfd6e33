package io.starconsole.functions.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.starconsole.functions.error.ErrorBody;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body longer than {@code quarkus.http.limits.max-body-size} with 413 and the one JSON
 * error body, before anything reads it. The framework's own check (just after this one) answers
 * with an empty body; it stays as the limit for bodies sent without a Content-Length.
 */
public class BodyLimit {

    /** Just before the framework's upload limit (its order is -2). */
    static final int ORDER = -3;

    void register(@Observes Router router,
                  @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long maximum = limit.asLongValue();
        String answer = Json.encode(new ErrorBody("the request body is longer than " + maximum + " bytes",
                "too_large", null));
        router.route().order(ORDER).handler(context -> {
            if (declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH)) > maximum) {
                context.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(answer);
                return;
            }
            context.next();
        });
    }

    private static long declaredLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
