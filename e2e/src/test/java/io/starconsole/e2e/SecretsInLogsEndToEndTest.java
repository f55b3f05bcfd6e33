package io.starconsole.e2e;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.starconsole.agent.Box;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.simulation.SimulatedFleet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full run — login, an enrolment token, a box registering with it, a password change and a rename
 * — then every line the functions, the edge and the agent logged is searched for every secret used.
 * (The launcher's own banner prints the local admin login on purpose; it is not a log.)
 */
class SecretsInLogsEndToEndTest {

    private static final String PLAIN_ADMIN_PASSWORD = "plain-text-box-password-7Q";

    @Test
    void fullRun_logsNoKeyPasswordTokenOrCommandPlaintext() throws Exception {
        List<String> agentLog = new ArrayList<>();
        Handler capture = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                synchronized (agentLog) {
                    agentLog.add(formatter.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<String> secrets = new ArrayList<>();
        Path data;
        Path boxKeyFile;
        RunningConsole console = RunningConsole.start(Map.of());
        try {
            data = console.data;
            String adminPassword = console.console.adminPassword();
            String operatorToken = RestAssured.given().baseUri(console.apiBase()).contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", adminPassword))
                    .post("/api/v1/auth/login").then().statusCode(200).extract().path("token");
            String enrolmentToken = console.api().body(Map.of("description", "logs", "uses", 5))
                    .post("/api/v1/enrolment-tokens").then().statusCode(201).extract().path("token");

            AgentConfig config = AgentConfig.defaults()
                    .with(Option.EDGE, "127.0.0.1:" + console.udpPort())
                    .with(Option.EDGE_PUBLIC_KEY_FILE, console.console.edgePublicKeyFile().toString())
                    .with(Option.STATE_DIRECTORY, console.scratchDirectory("e2e-logs").toString())
                    .with(Option.GROUP, "logs").with(Option.ID, "logs")
                    .with(Option.ENROLMENT_TOKEN, enrolmentToken)
                    .with(Option.PING_INTERVAL, "PT1S");
            try (SimulatedFleet fleet = SimulatedFleet.start(config, 1)) {
                assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(60))).isTrue();
                Box box = fleet.boxes().get(0);
                boxKeyFile = box.config().keyFile();
                for (Map.Entry<String, String> command : Map.of("CHANGE_ADMIN_PASSWORD", PLAIN_ADMIN_PASSWORD,
                        "CHANGE_SPNBOX_NAME", "logged-box").entrySet()) {
                    Map<String, Object> body = new HashMap<>();
                    body.put("type", command.getKey());
                    body.put("target", Map.of("box", box.publicKey().toBase64()));
                    body.put("arguments", command.getValue());
                    long id = console.api().body(body).post("/api/v1/commands").then().statusCode(201)
                            .extract().jsonPath().getLong("id");
                    awaitSucceeded(console, id);
                }
                secrets.add(Files.readString(boxKeyFile).trim());
            }
            secrets.add(adminPassword);
            secrets.add(operatorToken);
            secrets.add(enrolmentToken);
            secrets.add(PLAIN_ADMIN_PASSWORD);
            secrets.add(Files.readString(data.resolve("edge-secret")).trim());
            secrets.add(Files.readString(data.resolve("edge").resolve("edge.key")).trim());
        } finally {
            console.close();
            root.removeHandler(capture);
        }

        List<String> serviceLog = Files.readAllLines(data.resolve("console.log"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("[functions]") || line.startsWith("[edge]"))
                .collect(Collectors.toList());
        assertThat(serviceLog).as("the services did log the run").isNotEmpty();
        List<String> everything = new ArrayList<>(serviceLog);
        synchronized (agentLog) {
            assertThat(agentLog).as("the agent did log the run").isNotEmpty();
            everything.addAll(agentLog);
        }
        for (String secret : secrets) {
            assertThat(secret).hasSizeGreaterThan(8);
            assertThat(everything).as("no log line holds a secret (%s...)", secret.substring(0, 3))
                    .noneMatch(line -> line.contains(secret));
        }
    }

    private static void awaitSucceeded(RunningConsole console, long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = console.api().get("/api/v1/commands/" + id).then().extract().path("state");
            if (state.equals("succeeded")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("command " + id + " ended " + state);
    }

}
