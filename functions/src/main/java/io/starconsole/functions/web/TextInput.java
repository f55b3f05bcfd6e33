package io.starconsole.functions.web;

import io.starconsole.functions.box.BoxFields;
import io.starconsole.functions.error.ApiException;

/**
 * Text a caller may choose freely (a note, a description, a search): any characters but control
 * characters (NUL above all: PostgreSQL cannot store it) and at most {@code maxLength} of them.
 * Such text is stored and answered as plain data; the viewer escapes it when it shows it.
 */
public final class TextInput {

    private TextInput() {
    }

    /** The value itself; a 400 naming the field when it is too long or holds a control character. */
    public static String check(String field, String value, int maxLength) {
        String problem = BoxFields.textProblem(field, value, maxLength);
        if (problem != null) {
            throw ApiException.badField(field, problem);
        }
        return value;
    }
}
