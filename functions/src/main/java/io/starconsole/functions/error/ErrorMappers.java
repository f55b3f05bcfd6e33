package io.starconsole.functions.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;

/**
 * Turns every failure into the one JSON error body. Clients never see a stack trace; unexpected
 * failures are logged here once, with their class and message only.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** While the database is down every request fails alike: one warning per kind and minute. */
    private static final RepeatedWarnings OUTAGE_WARNINGS = new RepeatedWarnings(LOG);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return body(e.status().getStatusCode(), e.getMessage(), e.code(), e.field());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.status(401)
                .header("WWW-Authenticate", "Bearer")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody("authentication required: log in and send 'Authorization: Bearer <token>'",
                        "unauthorized", null))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, "your role does not allow this", "forbidden", null);
    }

    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e) {
        return body(400, "the request body is not valid JSON for this call", "invalid_json", null);
    }

    /**
     * A value of the wrong JSON type (a string where a number goes, an array where an object goes).
     * Named here, or the framework's own mapper would answer with a body of another shape.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        String field = fieldPath(e);
        return body(400, field == null ? "the request body is not the JSON object this call takes"
                : field + " has the wrong JSON type or format", "invalid_json", field);
    }

    /** {@code hello.groupName}, {@code heartbeats[0].at}; null for the body itself. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof MismatchedInputException mismatched) {
            return mismatchedInput(mismatched);
        }
        if (e.getCause() instanceof JsonProcessingException) {
            return invalidJson((JsonProcessingException) e.getCause());
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
        String message = status == 404 ? "no such resource"
                : Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase().toLowerCase()
                : "request refused";
        return body(status, message, code, null);
    }

    /**
     * The database cannot be reached, or its connection broke under a request. The SQL client is the
     * only socket a request's work reads or writes, so a socket error (a refused connect, "Connection
     * reset by peer" on a statement's write) is the database's.
     */
    @ServerExceptionMapper({IOException.class, ClosedConnectionException.class})
    public Response databaseUnreachable(Exception e) {
        OUTAGE_WARNINGS.warn("database unreachable: " + e.getClass().getSimpleName());
        return unavailable();
    }

    @ServerExceptionMapper
    public Response databaseError(PgException e) {
        // SQLSTATE classes 08 (connection), 53 (resources), 57 (operator intervention, e.g. a
        // shutdown) and 40 (serialization failure, deadlock: left after the service's own
        // retries) mean "try again later"; anything else reaching here is a defect.
        String state = e.getSqlState() == null ? "" : e.getSqlState();
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40")) {
            OUTAGE_WARNINGS.warn("database unavailable: SQLSTATE " + state);
            return unavailable();
        }
        // Class 22 (data exception: a NUL in text, a number out of range, text too long) is input
        // that a check should have refused; answered as the caller's fault, logged to be fixed.
        if (state.startsWith("22")) {
            LOG.warnf("input refused by the database: SQLSTATE %s", state);
            return body(400, "a value of the request cannot be stored", "invalid_input", null);
        }
        return unexpected(e);
    }

    private static Response unavailable() {
        return body(503, "the database is unavailable; try again shortly", "unavailable", null);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        // Statements queued behind one whose connection broke fail with a VertxException around the socket's error.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof ClosedConnectionException) {
                return databaseUnreachable((Exception) cause);
            }
        }
        // Messages of driver errors can quote parameter values: only at debug level.
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        LOG.debugf("unexpected failure detail: %s", e.getMessage());
        return body(500, "internal error", "internal", null);
    }

    private static Response body(int status, String message, String code, String field) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(message, code, field))
                .build();
    }
}
