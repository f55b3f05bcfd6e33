package io.starconsole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What each console command does over the API and prints. */
final class Commands {

    /** Delivery states that make a waited-for command fail (exit 1). */
    private static final Set<String> FAILED_DELIVERIES = Set.of("failed", "expired", "rolled_back");

    private final StarConsoleCli cli;
    private final PrintStream out;

    Commands(StarConsoleCli cli, PrintStream out) {
        this.cli = cli;
        this.out = out;
    }

    /** POST /api/v1/commands; with --wait, polls until no delivery is queued or delivered. */
    int issue(UserCommand command, Options options) throws CliException {
        List<String> words = options.positional();
        if (command == UserCommand.CHANGE_ADMIN_PASSWORD && words.size() == 1) {
            words = List.of(words.get(0), cli.readSecret("New admin password: ")
                    .orElseThrow(() -> CliException.usage("usage: " + command.usage())));
        }
        if (words.size() != 2) {
            throw CliException.usage("usage: " + command.usage());
        }
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("type", command.name());
        body.set("target", target(words.get(0)));
        try {
            body.put("arguments", command.checkArguments(words.get(1)));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(command.cliName() + ": " + e.getMessage() + "\nusage: " + command.usage());
        }
        body.put("priority", options.has("--high") ? "high" : "normal");
        if (options.value("--expires-in").isPresent()) {
            body.put("expiresAt", cli.clock().instant().plus(Durations.parse(options.value("--expires-in").get())).toString());
        }
        JsonNode created = cli.authenticated(api -> api.post("/api/v1/commands", body));
        out.println("command " + created.path("id").asText() + " " + created.path("type").asText(command.name()) + " -> "
                + describeTarget(created.path("target")) + ": " + created.path("state").asText() + summary(created.path("counts")));
        if (!options.has("--wait")) {
            return CliException.OK;
        }
        return waitFor(created.path("id").asText());
    }

    /** {@code 0.0.0.0} = every box, {@code group:<name>}, or one box's SPN IP. */
    static ObjectNode target(String text) throws CliException {
        ObjectNode target = ApiClient.JSON.createObjectNode();
        if (text.equals("0.0.0.0")) {
            return target.put("all", true);
        }
        if (text.startsWith("group:")) {
            String group = text.substring("group:".length());
            if (!group.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw CliException.usage("'" + group + "' is not a group name (1..64 of letters, digits, '_', '.', '-')");
            }
            return target.put("group", group);
        }
        try {
            UserCommand.ipv4(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("<spn-ip> must be a box's SPN IP, 0.0.0.0 (all boxes) or group:<name>; got '" + text + "'");
        }
        return target.put("box", text);
    }

    private int waitFor(String id) throws CliException {
        JsonNode command;
        while (true) {
            command = cli.authenticated(api -> api.get("/api/v1/commands/" + id));
            if (isDone(command)) {
                break;
            }
            try {
                Thread.sleep(cli.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.FAILED, "interrupted while waiting for command " + id);
            }
        }
        out.println("command " + id + ": " + command.path("state").asText() + summary(command.path("counts")));
        return printDeliveries(id);
    }

    private static boolean isDone(JsonNode command) {
        JsonNode counts = command.path("counts");
        if (counts.isObject()) {
            return counts.path("queued").asLong() == 0 && counts.path("delivered").asLong() == 0;
        }
        return !Set.of("queued", "delivered").contains(command.path("state").asText());
    }

    /** Prints the per-box deliveries; 1 if any failed, expired or was rolled back. */
    private int printDeliveries(String id) throws CliException {
        JsonNode page = cli.authenticated(api -> api.get("/api/v1/commands/" + id + "/deliveries?size=500"));
        List<List<String>> rows = new ArrayList<>();
        int code = CliException.OK;
        for (JsonNode delivery : page.path("items")) {
            String state = delivery.path("state").asText();
            rows.add(List.of(delivery.path("spnIp").asText(""), delivery.path("idString").asText(""), state,
                    delivery.path("attempts").asText(""), delivery.path("result").asText("")));
            if (FAILED_DELIVERIES.contains(state)) {
                code = CliException.FAILED;
            }
        }
        Table.print(out, List.of("SPN IP", "ID", "STATE", "ATTEMPTS", "RESULT"), rows);
        return code;
    }

    int status(Options options) throws CliException {
        if (options.positional().size() != 1 || !options.positional().get(0).matches("[0-9]+")) {
            throw CliException.usage("usage: status <command-id>");
        }
        String id = options.positional().get(0);
        JsonNode command = cli.authenticated(api -> api.get("/api/v1/commands/" + id));
        out.println("command " + id + " " + command.path("type").asText() + " -> " + describeTarget(command.path("target")) + " "
                + command.path("arguments").asText("") + " [" + command.path("priority").asText("normal") + "] by "
                + command.path("createdBy").asText("?") + " at " + command.path("createdAt").asText("?"));
        out.println("state: " + command.path("state").asText() + summary(command.path("counts")));
        return printDeliveries(id);
    }

    int list(Options options) throws CliException {
        if (!options.positional().isEmpty()) {
            throw CliException.usage("usage: commands [--state STATE]");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("state", options.value("--state").orElse(""));
        JsonNode page = cli.authenticated(api -> api.get(ApiClient.query("/api/v1/commands", query)));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode command : page.path("items")) {
            rows.add(List.of(command.path("id").asText(), command.path("type").asText(), describeTarget(command.path("target")),
                    command.path("priority").asText(""), command.path("state").asText(), summary(command.path("counts")).strip(),
                    command.path("createdAt").asText("")));
        }
        Table.print(out, List.of("ID", "TYPE", "TARGET", "PRIORITY", "STATE", "DELIVERIES", "CREATED"), rows);
        out.println(page.path("total").asText(String.valueOf(rows.size())) + " command(s)");
        return CliException.OK;
    }

    int boxes(Options options) throws CliException {
        if (!options.positional().isEmpty()) {
            throw CliException.usage("usage: boxes [--group G] [--online] [--q TEXT]");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("group", options.value("--group").orElse(""));
        query.put("online", options.has("--online") ? "true" : "");
        query.put("q", options.value("--q").orElse(""));
        query.put("size", "500");
        JsonNode page = cli.authenticated(api -> api.get(ApiClient.query("/api/v1/boxes", query)));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode box : page.path("items")) {
            rows.add(List.of(box.path("spnIp").asText(""), box.path("online").asBoolean() ? "online" : "offline",
                    box.path("group").asText(""), box.path("idString").asText(""), box.path("realIp").asText(""),
                    box.path("lastSeen").asText(""), box.path("firmwareVersion").asText(""), box.path("publicKey").asText("")));
        }
        Table.print(out, List.of("SPN IP", "STATE", "GROUP", "ID", "REAL IP", "LAST SEEN", "FIRMWARE", "PUBLIC KEY"), rows);
        out.println(page.path("total").asText(String.valueOf(rows.size())) + " box(es)");
        return CliException.OK;
    }

    private static String describeTarget(JsonNode target) {
        String kind = target.path("kind").asText("");
        return switch (kind) {
            case "all" -> "all boxes";
            case "group" -> "group:" + target.path("value").asText();
            default -> target.path("value").asText(kind);
        };
    }

    /** {@code " (2 deliveries: 1 succeeded, 1 queued)"}, leaving out zero counts. */
    private static String summary(JsonNode counts) {
        if (!counts.isObject()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(entry -> {
            if (!entry.getKey().equals("total") && entry.getValue().asLong() > 0) {
                parts.add(entry.getValue().asLong() + " " + entry.getKey());
            }
        });
        long total = counts.path("total").asLong();
        return " (" + total + (total == 1 ? " delivery" : " deliveries") + (parts.isEmpty() ? "" : ": " + String.join(", ", parts)) + ")";
    }
}
