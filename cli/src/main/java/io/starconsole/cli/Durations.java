package io.starconsole.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** {@code PT1H} (ISO-8601) or the short forms {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String text) throws CliException {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return positive(Duration.parse(value.toUpperCase(Locale.ROOT)), text);
            }
            if (value.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))), text);
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return positive(switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            }, text);
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw CliException.usage("'" + text + "' is not a duration (e.g. 30s, 10m, 2h, 1d, PT1H)");
        }
    }

    private static Duration positive(Duration duration, String text) throws CliException {
        if (duration.isNegative() || duration.isZero()) {
            throw CliException.usage("'" + text + "' must be longer than zero");
        }
        return duration;
    }
}
