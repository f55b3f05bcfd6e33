package io.starconsole.agent;

import io.starconsole.agent.backend.ProcessCommandRunner;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyFormatException;
import io.starconsole.protocol.crypto.KeyPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code star-console-agent <command> [flags]}: {@code run}, {@code simulate --boxes N [--rate R]},
 * {@code keygen}, {@code pubkey}, {@code show-config}. Every configuration key is also a flag
 * ({@code --edge 10.0.0.1:31902} or {@code --edge=...}); {@code --config FILE} names the file
 * (default /etc/star-console/agent.conf; missing is fine).
 */
public final class AgentMain {

    static final String USAGE = """
            usage: star-console-agent <command> [--config FILE] [--<key> VALUE]...
              run                      register this box and keep it registered (the daemon)
              simulate --boxes N [--rate R]
                                       run N simulated boxes (sandbox backend), R started per second
                                       (default 200), each under <state-directory>/box-NNNNN/
              keygen                   print a new private key and its public key (wg genkey | wg pubkey)
              pubkey                   read a private key on standard input, print its public key
              show-config              print the effective configuration
            configuration keys (file 'key = value', or flags '--key value'):
            """;

    private AgentMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %5$s%6$s%n");
        }
        int status;
        try {
            status = run(List.of(args), System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("star-console-agent: " + e.getMessage());
            status = 2;
        } catch (IOException e) {
            System.err.println("star-console-agent: " + e.getMessage());
            status = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        System.exit(status);
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.print(usage());
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        Map<String, String> flags = flags(args.subList(1, args.size()));
        Path configFile = Path.of(flags.getOrDefault("config", AgentConfig.DEFAULT_FILE));
        flags.remove("config");
        String boxes = flags.remove("boxes");
        String rate = flags.remove("rate");
        switch (command) {
            case "keygen" -> {
                KeyPair keys = KeyPair.generate(new SecureRandom());
                out.println(keys.privateKey().toBase64());
                out.println(keys.publicKey().toBase64());
                return 0;
            }
            case "pubkey" -> {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
                try {
                    out.println(KeyPair.fromPrivateKey(Key.fromBase64(line == null ? "" : line.strip())).publicKey().toBase64());
                    return 0;
                } catch (KeyFormatException e) {
                    err.println("star-console-agent: not a base64 private key");
                    return 1;
                }
            }
            case "show-config" -> {
                out.print(AgentConfig.load(configFile, flags).toText());
                return 0;
            }
            case "run" -> {
                runOne(AgentConfig.load(configFile, flags));
                return 0;
            }
            case "simulate" -> {
                if (boxes == null) {
                    throw new IllegalArgumentException("simulate needs --boxes N");
                }
                simulate(AgentConfig.load(configFile, flags), parseInt(boxes, "--boxes"),
                        rate == null ? SimulatedFleet.DEFAULT_RATE : parseDouble(rate, "--rate"), out);
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + command + "' (try help)");
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder(USAGE);
        for (AgentConfig.Option option : AgentConfig.Option.values()) {
            text.append(String.format("  --%-22s %s%s%n", option.key(), option.description(),
                    option.defaultValue().isEmpty() ? "" : " [" + option.defaultValue() + "]"));
        }
        return text.toString();
    }

    /** {@code --key value} and {@code --key=value} pairs. */
    static Map<String, String> flags(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                flags.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                flags.put(arg.substring(2), args.get(++i));
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return flags;
    }

    private static void runOne(AgentConfig config) throws IOException, InterruptedException {
        AgentRuntime runtime = new AgentRuntime(1);
        Box box = Box.create(config, runtime, LifecycleTimers.standard(config.pingInterval()));
        System.err.println("star-console-agent: box " + box.publicKey().toBase64() + " (" + config.id() + ") -> " + config.edge());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            box.stop(); // BYE; the data plane stays as it is
            try {
                runtime.close();
            } catch (IOException e) {
                // exiting anyway
            }
            stopped.countDown();
        }, "agent-shutdown"));
        SystemdWatchdog.startIfRequested(System.getenv(), runtime.scheduler(), ProcessCommandRunner.fromEnvironment(),
                () -> runtime.hub().isAlive());
        box.start();
        stopped.await();
    }

    private static void simulate(AgentConfig config, int boxes, double rate, PrintStream out)
            throws IOException, InterruptedException {
        SimulatedFleet fleet = SimulatedFleet.start(config, boxes, rate, LifecycleTimers.standard(config.pingInterval()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                fleet.close();
            } catch (IOException e) {
                // exiting anyway
            }
            stopped.countDown();
        }, "simulation-shutdown"));
        out.println("simulating " + boxes + " boxes against " + config.edge() + " under " + config.stateDirectory());
        while (!stopped.await(10, TimeUnit.SECONDS)) {
            Map<BoxState, Integer> counts = new EnumMap<>(BoxState.class);
            fleet.boxes().forEach(box -> counts.merge(box.state(), 1, Integer::sum));
            out.println("boxes by state: " + counts);
        }
    }

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " needs a number, not '" + text + "'");
        }
    }

    private static double parseDouble(String text, String what) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " needs a number, not '" + text + "'");
        }
    }

}
