package io.starconsole.functions.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hostile request derived from a row of {@link Endpoints}: where it goes, with what
 * credentials and body, and what the answer must be. {@link #all()} lists every variant of every row.
 */
record Variant(Endpoint endpoint, Kind kind, String where, String value, Expect expect) {

    /** What the request changes from the row's valid form. */
    enum Kind { NO_TOKEN, BAD_TOKEN, PATH, QUERY, BODY, FIELD_TEXT, FIELD_JSON, FIELD_INVALID_UTF8, OVERSIZE, MEDIA_TYPE }

    /** REFUSED: a 4xx. ANY_BUT_FAILURE: free text or a filter, a 2xx with no SQL effect is right too. */
    enum Expect { REFUSED, ANY_BUT_FAILURE }

    static final String SQL = "'; DROP TABLE spnclients; --";
    static final int OVERSIZE_BYTES = 3 * 1024 * 1024;

    /**
     * Text a hostile client sends: SQL, markup, path traversal, NUL, length, unicode oddities. The long
     * one fits a request line (4 KB); longer lines are refused before the application, see
     * {@link HostileInputTest#requestLineOver4Kilobytes_isRefusedBeforeTheApplication_with414}.
     */
    static final Map<String, String> TEXTS = ordered(
            "sql", SQL,
            "sqlTautology", "' OR '1'='1",
            "script", "<script>alert(1)</script>",
            "traversal", "../../etc/passwd",
            "nul", "box\u0000name",
            "long", "x".repeat(3_000),
            "bidiAndZeroWidth", "\u202Eevil\u200B\uFEFF",
            "loneSurrogate", "a\uD800b");

    /** Values of the wrong JSON type: text fields get the first two, other fields all of them. */
    private static final List<String> WRONG_TYPES = List.of("{}", "[]", "\"not-a-number\"", "1e400",
            "99999999999999999999");
    /** Whole bodies that are not the JSON object the call takes. */
    private static final Map<String, String> BODIES = ordered(
            "empty", "",
            "truncated", "{\"a\":",
            "notJson", "not json at all",
            "null", "null",
            "array", "[]",
            "string", "\"text\"",
            "number", "42",
            "trailingGarbage", "{}}",
            "deepNesting", "{\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}",
            "controlCharacterInString", "{\"x\":\"a\u0001b\"}");
    private static final List<String> PATH_VALUES = List.of(SQL, "../../etc/passwd", "<script>alert(1)</script>",
            "box\u0000", "99999999999999999999", "-1", "x".repeat(2_000));

    /** This package's one mapper: the variants' bodies, and the answers HostileInputTest reads. */
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final String MARK = "\uE000invalid-utf8\uE000";

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    static List<Variant> all() {
        List<Variant> all = new ArrayList<>();
        for (Endpoint endpoint : Endpoints.all()) {
            all.addAll(of(endpoint));
        }
        return all;
    }

    static List<Variant> of(Endpoint e) {
        List<Variant> list = new ArrayList<>();
        if (e.access() != Endpoint.Access.NONE) {
            list.add(new Variant(e, Kind.NO_TOKEN, "Authorization", "", Expect.REFUSED));
            list.add(new Variant(e, Kind.BAD_TOKEN, "Authorization", SQL, Expect.REFUSED));
        }
        Matcher parameters = PARAMETER.matcher(e.template());
        while (parameters.find()) {
            for (String value : PATH_VALUES) {
                list.add(new Variant(e, Kind.PATH, parameters.group(1), value, Expect.REFUSED));
            }
        }
        for (String parameter : e.queryText()) {
            for (String value : TEXTS.values()) {
                list.add(new Variant(e, Kind.QUERY, parameter, value, Expect.ANY_BUT_FAILURE));
            }
        }
        if (e.hasBody()) {
            BODIES.forEach((name, body) -> list.add(new Variant(e, Kind.BODY, name, body, Expect.REFUSED)));
            list.add(new Variant(e, Kind.OVERSIZE, "body", "", Expect.REFUSED));
            list.add(new Variant(e, Kind.MEDIA_TYPE, "text/plain", "", Expect.REFUSED));
            for (String field : e.textFields()) {
                TEXTS.values().forEach(text -> list.add(new Variant(e, Kind.FIELD_TEXT, field, text, Expect.REFUSED)));
            }
            for (String field : e.freeText()) {
                TEXTS.values().forEach(text -> list.add(new Variant(e, Kind.FIELD_TEXT, field, text, Expect.ANY_BUT_FAILURE)));
            }
            List<String> fields = new ArrayList<>(e.textFields());
            fields.addAll(e.freeText());
            fields.addAll(e.otherFields());
            for (String field : fields) {
                for (String wrong : WRONG_TYPES) {
                    boolean text = !e.otherFields().contains(field);
                    if (!text || wrong.equals("{}") || wrong.equals("[]")) {
                        list.add(new Variant(e, Kind.FIELD_JSON, field, wrong, Expect.REFUSED));
                    }
                }
            }
            for (String field : e.textFields()) {
                list.add(new Variant(e, Kind.FIELD_INVALID_UTF8, field, "", Expect.REFUSED));
            }
        }
        return list;
    }

    /** The path to call, with the hostile value (percent-encoded) in its place for PATH variants. */
    String path(Fixtures fixtures) {
        String path = endpoint.concrete().apply(fixtures);
        if (kind == Kind.PATH) {
            String template = fixtures.fill(endpoint.template().replace("{" + where + "}", "\uE001"));
            path = template.replace("\uE001", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        if (kind == Kind.QUERY) {
            path += "?" + where + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
        return path;
    }

    /** The bytes of the body to send, or null for none. */
    byte[] body(Fixtures fixtures) {
        if (!endpoint.hasBody()) {
            return null;
        }
        String valid = fixtures.fill(endpoint.body());
        return switch (kind) {
            case BODY -> value.getBytes(StandardCharsets.UTF_8);
            case OVERSIZE -> ("{\"x\":\"" + "a".repeat(OVERSIZE_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
            case FIELD_TEXT -> replaced(valid, where, TextNode.valueOf(value)).getBytes(StandardCharsets.UTF_8);
            case FIELD_JSON -> replaced(valid, where, literal(value)).getBytes(StandardCharsets.UTF_8);
            case FIELD_INVALID_UTF8 -> invalidUtf8(replaced(valid, where, TextNode.valueOf(MARK)));
            default -> valid.getBytes(StandardCharsets.UTF_8);
        };
    }

    String contentType() {
        return kind == Kind.MEDIA_TYPE ? "text/plain" : "application/json";
    }

    /** Whether this variant sends the row's credentials. */
    String token(Fixtures fixtures) {
        return switch (kind) {
            case NO_TOKEN -> null;
            case BAD_TOKEN -> value;
            default -> fixtures.token(endpoint.access());
        };
    }

    private static JsonNode literal(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** The JSON with the value at a dotted path ({@code hello.groupName}, {@code heartbeats.0.at}) replaced. */
    private static String replaced(String json, String path, JsonNode value) {
        JsonNode root = literal(json);
        String[] steps = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < steps.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(steps[i])) : parent.get(steps[i]);
        }
        String last = steps[steps.length - 1];
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return root.toString();
    }

    /** The UTF-8 of the JSON with the mark replaced by bytes that are not UTF-8. */
    private static byte[] invalidUtf8(String json) {
        int at = json.indexOf(MARK);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {'a', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, 'b'});
        out.writeBytes(json.substring(at + MARK.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A short name for the test report. */
    String describe() {
        String shown = value.length() > 40 ? value.substring(0, 20) + "…(" + value.length() + " chars)" : value;
        shown = shown.replace("\u0000", "\\0").replaceAll("[\\p{Cntrl}\\p{Cf}\\p{Cs}]", "?");
        return endpoint.key() + " | " + kind + " " + where + (shown.isEmpty() ? "" : " = " + shown);
    }
}
