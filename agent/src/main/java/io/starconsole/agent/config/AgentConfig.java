package io.starconsole.agent.config;

import io.starconsole.protocol.crypto.JediVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's configuration: a {@code key = value} file (default {@value #DEFAULT_FILE}) whose
 * every key may also be given as a command-line flag {@code --key value}, the flag winning.
 * Immutable; {@link #with} returns a changed copy. Unknown keys are refused so a typo is not
 * silently ignored.
 */
public final class AgentConfig {

    public static final String DEFAULT_FILE = "/etc/star-console/agent.conf";

    /** Every key with its default ("" = unset) and a one-line description, in documentation order. */
    public enum Option {
        EDGE("edge", "127.0.0.1:31902", "the edge's UDP address, host:port"),
        EDGE_PUBLIC_KEY("edge-public-key", "", "the edge's static public key, base64 (44 characters)"),
        EDGE_PUBLIC_KEY_FILE("edge-public-key-file", "", "file holding the edge's public key (edge.pub); re-read at each registration"),
        JEDI_VERSION("jedi-version", "3", "the protocol version spoken to the edge: 3 (ChaCha20-Poly1305) or 2 (AES-256-GCM, for an edge older than JEDI/3)"),
        KEY_FILE("key-file", "/var/lib/star-console/agent.key", "the box's private key, base64 as `wg genkey` prints it; made 0600 at first start"),
        STATE_DIRECTORY("state-directory", "/var/lib/star-console", "the agent's own state (executed command ids and results)"),
        GROUP("group", "default", "the box's group name"),
        ID("id", "", "id string: phone, e-mail, nickname or hostname (default: the host name)"),
        BACKEND("backend", "sandbox", "sandbox (box state as files) or linux (ip, wg, hostnamectl, chpasswd, reboot)"),
        SANDBOX_DIRECTORY("sandbox-directory", "/var/lib/star-console/sandbox", "the sandbox backend's directory"),
        SANDBOX_CHANGE_DELAY("sandbox-change-delay", "PT0S", "sandbox backend: how long each change of the box's settings takes, as on a slow box"),
        PING_INTERVAL("ping-interval", "PT5S", "PING interval, ISO-8601 (PT5S) or 5s / 200ms"),
        ENROLMENT_TOKEN("enrolment-token", "", "enrolment token for admission, if the console demands one"),
        MAC("mac", "", "MAC address sent in HELLO (default: read from the backend)"),
        LISTEN_PORT("listen-port", "51820", "WireGuard listen port"),
        ALLOWED_IPS("allowed-ips", "", "WireGuard allowed IPs announced in HELLO"),
        RISKY_CHANGE_DEADLINE("risky-change-deadline", "PT30S", "how long a new SPN address, listen port or key waits for the console's OK before the box rolls it back"),
        FIRMWARE_VERSION("firmware-version", "0.1.0", "firmware version announced while the active slot has no version of its own"),
        MODEL("model", "spnbox-sim", "the box's hardware model: a firmware release must list it in compatibleModels"),
        OTA_TRUSTED_KEYS("ota-trusted-keys", "", "comma-separated base64 raw Ed25519 public keys whose firmware signatures are trusted"),
        OTA_TRUSTED_KEYS_FILE("ota-trusted-keys-file", "", "file with one trusted base64 raw Ed25519 public key per line (read at each update)"),
        OTA_DIRECTORY("ota-directory", "", "where downloads are kept (<release>.part) (default: <state-directory>/ota)"),
        OTA_HEALTH_DEADLINE("ota-health-deadline", "PT60S", "how long new firmware has to re-register and pass its health check before the box rolls back"),
        OTA_INSTALL_HOOK("ota-install-hook", "", "linux backend: program run as <hook> <image-path> <slot> to install firmware into a slot"),
        OTA_SWITCH_HOOK("ota-switch-hook", "", "linux backend: program run as <hook> <slot> to make the boot loader start that slot"),
        OTA_HEALTH_HOOK("ota-health-hook", "", "linux backend: program run as <hook> <slot>; exit 0 = the running firmware is healthy"),
        INTERFACE("interface", "spn0", "linux backend: the WireGuard interface"),
        UPLINK_INTERFACE("uplink-interface", "eth0", "linux backend: the interface whose MAC address identifies the box"),
        ADMIN_USER("admin-user", "admin", "linux backend: the account CHANGE_ADMIN_PASSWORD changes");

        private final String key;
        private final String defaultValue;
        private final String description;

        Option(String key, String defaultValue, String description) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        public String key() {
            return key;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String description() {
            return description;
        }

        public static Optional<Option> byKey(String key) {
            for (Option option : values()) {
                if (option.key.equals(key)) {
                    return Optional.of(option);
                }
            }
            return Optional.empty();
        }
    }

    private final Map<Option, String> values;

    private AgentConfig(Map<Option, String> values) {
        this.values = values;
    }

    /** All defaults. */
    public static AgentConfig defaults() {
        Map<Option, String> values = new LinkedHashMap<>();
        for (Option option : Option.values()) {
            values.put(option, option.defaultValue());
        }
        return new AgentConfig(Collections.unmodifiableMap(values));
    }

    /** Defaults overridden by {@code file} (if it exists) and then by {@code flags}. */
    public static AgentConfig load(Path file, Map<String, String> flags) throws IOException {
        AgentConfig config = defaults();
        if (file != null && Files.exists(file)) {
            config = config.withAll(parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString()));
        }
        return config.withAll(flags);
    }

    /** Parses {@code key = value} lines; blank lines and lines starting with '#' are skipped. */
    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected 'key = value'");
            }
            parsed.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return parsed;
    }

    public AgentConfig with(String key, String value) {
        Option option = Option.byKey(key).orElseThrow(() -> new IllegalArgumentException("unknown configuration key '" + key + "'"));
        return with(option, value);
    }

    public AgentConfig with(Option option, String value) {
        Map<Option, String> copy = new LinkedHashMap<>(values);
        copy.put(option, value == null ? "" : value.strip());
        return new AgentConfig(Collections.unmodifiableMap(copy));
    }

    public AgentConfig withAll(Map<String, String> overrides) {
        AgentConfig config = this;
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            config = config.with(entry.getKey(), entry.getValue());
        }
        return config;
    }

    public String get(Option option) {
        return values.get(option);
    }

    private Optional<String> optional(Option option) {
        String value = values.get(option);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public InetSocketAddress edge() {
        return parseHostPort(get(Option.EDGE), Option.EDGE.key());
    }

    public Optional<String> edgePublicKey() {
        return optional(Option.EDGE_PUBLIC_KEY);
    }

    public Optional<Path> edgePublicKeyFile() {
        return optional(Option.EDGE_PUBLIC_KEY_FILE).map(Path::of);
    }

    public JediVersion jediVersion() {
        try {
            return JediVersion.ofNumber(get(Option.JEDI_VERSION));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Option.JEDI_VERSION.key() + " must be 2 or 3, not '" + get(Option.JEDI_VERSION) + "'");
        }
    }

    public Path keyFile() {
        return Path.of(get(Option.KEY_FILE));
    }

    public Path stateDirectory() {
        return Path.of(get(Option.STATE_DIRECTORY));
    }

    public String group() {
        return get(Option.GROUP);
    }

    public String id() {
        return optional(Option.ID).orElseGet(AgentConfig::hostName);
    }

    public String backend() {
        String backend = get(Option.BACKEND).toLowerCase(Locale.ROOT);
        if (!backend.equals("sandbox") && !backend.equals("linux")) {
            throw new IllegalArgumentException("backend must be 'sandbox' or 'linux', not '" + backend + "'");
        }
        return backend;
    }

    public Path sandboxDirectory() {
        return Path.of(get(Option.SANDBOX_DIRECTORY));
    }

    public Duration pingInterval() {
        return parseDuration(get(Option.PING_INTERVAL), Option.PING_INTERVAL.key());
    }

    public Duration sandboxChangeDelay() {
        return parseDurationOrZero(get(Option.SANDBOX_CHANGE_DELAY), Option.SANDBOX_CHANGE_DELAY.key());
    }

    public Duration riskyChangeDeadline() {
        return parseDuration(get(Option.RISKY_CHANGE_DEADLINE), Option.RISKY_CHANGE_DEADLINE.key());
    }

    public String enrolmentToken() {
        return get(Option.ENROLMENT_TOKEN);
    }

    public Optional<String> mac() {
        return optional(Option.MAC);
    }

    public int listenPort() {
        return parsePort(get(Option.LISTEN_PORT), Option.LISTEN_PORT.key());
    }

    public String allowedIps() {
        return get(Option.ALLOWED_IPS);
    }

    public String firmwareVersion() {
        return get(Option.FIRMWARE_VERSION);
    }

    public String model() {
        return get(Option.MODEL);
    }

    public Path otaDirectory() {
        return optional(Option.OTA_DIRECTORY).map(Path::of).orElseGet(() -> stateDirectory().resolve("ota"));
    }

    public Duration otaHealthDeadline() {
        return parseDuration(get(Option.OTA_HEALTH_DEADLINE), Option.OTA_HEALTH_DEADLINE.key());
    }

    public Optional<Path> otaTrustedKeysFile() {
        return optional(Option.OTA_TRUSTED_KEYS_FILE).map(Path::of);
    }

    public Optional<Path> otaHook(Option hook) {
        return optional(hook).map(Path::of);
    }

    /** The configuration as a {@code key = value} file, the enrolment token hidden. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        for (Option option : Option.values()) {
            String value = values.get(option);
            if (option == Option.ENROLMENT_TOKEN && !value.isEmpty()) {
                value = "(set, hidden)";
            }
            out.append(option.key()).append(" = ").append(value).append('\n');
        }
        return out.toString();
    }

    /** {@code 5s}, {@code 200ms}, {@code 2m} or ISO-8601 {@code PT5S}; must be positive. */
    public static Duration parseDuration(String text, String what) {
        Duration duration = parseDurationOrZero(text, what);
        if (duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return duration;
    }

    /** As {@link #parseDuration}, zero allowed. */
    public static Duration parseDurationOrZero(String text, String what) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            if (value.startsWith("pt")) {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else if (value.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                throw new IllegalArgumentException(what + ": '" + text + "' needs a unit (5s, 200ms, PT5S)");
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(what)) {
                throw e;
            }
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (5s, 200ms, PT5S)");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
        return duration;
    }

    static InetSocketAddress parseHostPort(String text, String what) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(what + ": '" + text + "' must be host:port");
        }
        return new InetSocketAddress(text.substring(0, colon), parsePort(text.substring(colon + 1), what));
    }

    static int parsePort(String text, String what) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException(what + " must be 0..65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a port number");
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "spnbox";
        }
    }
}
