package io.starconsole.functions.error;

import jakarta.ws.rs.core.Response;

/**
 * A refusal the client can act on: an HTTP status, a stable machine-readable code, a message and,
 * where one input is at fault, the name of that field. Mapped to the one JSON error body by
 * {@link ErrorMappers}; resources throw it and never build error responses themselves.
 */
public class ApiException extends RuntimeException {

    private final Response.Status status;
    private final String code;
    private final String field;

    public ApiException(Response.Status status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException badField(String field, String message) {
        return new ApiException(Response.Status.BAD_REQUEST, "invalid_field", message, field);
    }

    public static ApiException notFound(String what) {
        return new ApiException(Response.Status.NOT_FOUND, "not_found", what + " not found", null);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(Response.Status.CONFLICT, code, message, null);
    }

    public Response.Status status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
