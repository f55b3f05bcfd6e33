package io.starconsole.functions.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error shape of the API: {@code {"error": "...", "code": "...", "field": "..."}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String code, String field) {
}
