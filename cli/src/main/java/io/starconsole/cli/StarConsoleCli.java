package io.starconsole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code star-console}: the seed's 2ston_yodatest as a command-line tool against the console's
 * REST API. One-shot ({@code star-console reboot-spnbox 10.7.0.2 now}, exit codes for scripts,
 * token cached in {@code ~/.star-console/cli-token}) or interactive ({@code star-console>} prompt,
 * one login per session, token in memory only). See docs/cli.md.
 */
public final class StarConsoleCli {

    static final String PROMPT = "star-console> ";

    /** Reads a password without echo; empty if there is no terminal. */
    interface PasswordReader {
        Optional<char[]> read(String prompt);
    }

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Path home;
    private final boolean terminal;
    private final PasswordReader passwords;
    private final Clock clock;

    private ApiClient api;
    private String username;
    private boolean interactive;
    private Duration pollInterval = Duration.ofSeconds(1);

    StarConsoleCli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path home, boolean terminal,
            PasswordReader passwords, Clock clock) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.home = home;
        this.terminal = terminal;
        this.passwords = passwords;
        this.clock = clock;
    }

    public static void main(String[] args) {
        java.io.Console console = System.console();
        PasswordReader passwords = prompt -> console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt));
        int code = new StarConsoleCli(System.in, System.out, System.err, System.getenv(), Path.of(System.getProperty("user.home")),
                console != null, passwords, Clock.systemUTC()).run(args);
        System.exit(code);
    }

    /** Runs with {@code args}; returns the exit code. */
    int run(String[] args) {
        List<String> rest = new ArrayList<>();
        String url = env.getOrDefault("STAR_CONSOLE_URL", "http://localhost:8080");
        username = env.getOrDefault("STAR_CONSOLE_USER", "admin");
        boolean forceInteractive = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> url = value(args, ++i, "--url");
                    case "--user" -> username = value(args, ++i, "--user");
                    case "--interactive" -> forceInteractive = true;
                    case "--poll-interval" -> pollInterval = Durations.parse(value(args, ++i, "--poll-interval"));
                    case "--password" -> throw CliException.usage("no --password flag: set STAR_CONSOLE_PASSWORD or type it when asked");
                    default -> rest.add(args[i]);
                }
            }
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        }
        api = new ApiClient(url);
        if (rest.isEmpty() && (forceInteractive || terminal)) {
            interactive = true;
            return interactiveLoop();
        }
        if (rest.isEmpty()) {
            out.print(Help.text());
            return CliException.USAGE;
        }
        try {
            return execute(rest);
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        }
    }

    private static String value(String[] args, int index, String flag) throws CliException {
        if (index >= args.length) {
            throw CliException.usage(flag + " needs a value");
        }
        return args[index];
    }

    private int interactiveLoop() {
        out.println("Star Console at " + api.baseUrl() + " as " + username + "; '?' for help, 'quit' to leave.");
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line;
            try {
                line = lines.readLine();
            } catch (IOException e) {
                return CliException.FAILED;
            }
            if (line == null) {
                out.println();
                return CliException.OK;
            }
            List<String> words;
            try {
                words = Words.split(line);
            } catch (CliException e) {
                err.println("error: " + e.getMessage());
                continue;
            }
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).equals("quit") || words.get(0).equals("exit")) {
                return CliException.OK;
            }
            try {
                execute(words);
            } catch (CliException e) {
                err.println("error: " + e.getMessage());
                if (e.exitCode() == CliException.UNREACHABLE) {
                    err.println("(the console may be down; try again, or 'quit')");
                }
            }
        }
    }

    /** One command line; returns 0 or 1, throws for usage, authentication and connection errors. */
    int execute(List<String> words) throws CliException {
        int at = 0; // command options may come before the command's name: --high reboot-spnbox ...
        while (at < words.size() - 1 && words.get(at).startsWith("--") && !words.get(at).equals("--help")) {
            at++;
        }
        String name = words.get(at);
        List<String> args = new ArrayList<>(words);
        args.remove(at);
        Commands commands = new Commands(this, out);
        return switch (name) {
            case "help", "?", "--help", "-h" -> {
                out.print(Help.text());
                yield CliException.OK;
            }
            case "quit", "exit" -> CliException.OK;
            case "login" -> {
                login();
                yield CliException.OK;
            }
            case "logout" -> {
                logout();
                yield CliException.OK;
            }
            case "boxes" -> commands.boxes(Options.parse(args, List.of("--group", "--q"), List.of("--online")));
            case "status" -> commands.status(Options.parse(args, List.of(), List.of()));
            case "commands" -> commands.list(Options.parse(args, List.of("--state"), List.of()));
            default -> {
                UserCommand command = UserCommand.byCliName(name);
                if (command == null) {
                    throw CliException.usage("unknown command '" + name + "'; '?' lists them");
                }
                yield commands.issue(command, Options.parse(args, List.of("--expires-in"), List.of("--high", "--wait")));
            }
        };
    }

    // ---- session ---------------------------------------------------------------------------------

    /** The API, logged in: the session's token, else (one-shot) a cached one, else a fresh login. */
    ApiClient api() throws CliException {
        if (!api.hasToken()) {
            Optional<String> cached = interactive ? Optional.empty() : tokens().load(api.baseUrl(), username, clock.instant());
            if (cached.isPresent()) {
                api.token(cached.get());
            } else {
                login();
            }
        }
        return api;
    }

    /** Runs {@code call}; a cached token the console no longer accepts is dropped and the user logs in once more. */
    JsonNode authenticated(ApiCall call) throws CliException {
        ApiClient client = api();
        try {
            return call.run(client);
        } catch (CliException e) {
            if (e.exitCode() != CliException.AUTHENTICATION) {
                throw e;
            }
            forgetCachedToken();
            login();
            return call.run(api);
        }
    }

    interface ApiCall {
        JsonNode run(ApiClient api) throws CliException;
    }

    private void login() throws CliException {
        String password = env.get("STAR_CONSOLE_PASSWORD");
        if (password == null) {
            password = passwords.read("Password for " + username + " at " + api.baseUrl() + ": ").map(String::new)
                    .orElseThrow(() -> new CliException(CliException.AUTHENTICATION,
                            "no password: set STAR_CONSOLE_PASSWORD or run in a terminal"));
        }
        api.token(null);
        ObjectNode body = ApiClient.JSON.createObjectNode().put("username", username).put("password", password);
        JsonNode answer;
        try {
            answer = api.post("/api/v1/auth/login", body);
        } catch (CliException e) {
            throw e.exitCode() == CliException.AUTHENTICATION
                    ? new CliException(CliException.AUTHENTICATION, "login failed: " + e.getMessage()) : e;
        }
        api.token(answer.path("token").asText());
        if (interactive) {
            out.println("logged in as " + answer.path("username").asText(username) + " (" + answer.path("role").asText("?") + ")");
            return;
        }
        try {
            tokens().save(api.baseUrl(), username, answer.path("token").asText(), answer.path("expiresAt").asText());
        } catch (IOException e) {
            err.println("warning: cannot cache the token in " + tokens().file() + ": " + e.getMessage());
        }
    }

    private void logout() throws CliException {
        api.token(null);
        forgetCachedToken();
        out.println("logged out");
    }

    private void forgetCachedToken() throws CliException {
        api.token(null);
        if (!interactive) {
            try {
                tokens().clear();
            } catch (IOException e) {
                throw new CliException(CliException.FAILED, "cannot remove " + tokens().file() + ": " + e.getMessage());
            }
        }
    }

    private TokenCache tokens() {
        return new TokenCache(home);
    }

    /** Asks for a secret argument without echo (change-admin-password without its argument). */
    Optional<String> readSecret(String prompt) {
        return passwords.read(prompt).map(String::new);
    }

    Duration pollInterval() {
        return pollInterval;
    }

    Clock clock() {
        return clock;
    }
}
