package io.starconsole.agent.support;

import java.nio.charset.StandardCharsets;

/** Text cut to a wire field's size in UTF-8 bytes. */
public final class Utf8Text {

    private Utf8Text() {
    }

    /** {@code text} shortened (by whole code points) until its UTF-8 form fits {@code maxBytes}. */
    public static String truncate(String text, int maxBytes) {
        String value = text;
        while (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            value = value.substring(0, value.offsetByCodePoints(value.length(), -1));
        }
        return value;
    }
}
