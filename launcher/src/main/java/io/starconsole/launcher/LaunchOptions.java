package io.starconsole.launcher;

import java.nio.file.Path;
import java.util.List;

/** What {@code star-console up} was asked to do. */
public record LaunchOptions(Path home, Path dataDirectory, int simulatedBoxes) {

    static final String USAGE = """
            usage: star-console up [--boxes N] [--data DIR]
              --boxes N   also start N simulated boxes (each with its own keys and sandbox)
              --data DIR  where the console keeps its data (default: .star-console/ in the checkout;
                          or STAR_CONSOLE_DATA)
            """;

    /** Parses the arguments after {@code up}; throws IllegalArgumentException with a readable message. */
    static LaunchOptions parse(List<String> args, Path home, String dataFromEnvironment) {
        Path data = dataFromEnvironment == null || dataFromEnvironment.isBlank()
                ? home.resolve(".star-console") : Path.of(dataFromEnvironment);
        int boxes = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--boxes" -> boxes = parseBoxes(valueAfter(args, i++, arg));
                case "--data" -> data = Path.of(valueAfter(args, i++, arg));
                case "--home" -> home = Path.of(valueAfter(args, i++, arg));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new LaunchOptions(home.toAbsolutePath().normalize(), data.toAbsolutePath().normalize(), boxes);
    }

    private static String valueAfter(List<String> args, int index, String option) {
        if (index + 1 >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index + 1);
    }

    private static int parseBoxes(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > 100_000) {
                throw new IllegalArgumentException("--boxes must be between 0 and 100000");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--boxes needs a number, not '" + value + "'");
        }
    }
}
