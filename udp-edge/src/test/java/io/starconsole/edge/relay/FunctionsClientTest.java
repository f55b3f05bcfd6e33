package io.starconsole.edge.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.starconsole.edge.EdgeConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's own timeout, which is what fails a registration call the functions do not answer,
 * and the repeats of calls that may pass, counted.
 */
class FunctionsClientTest {

    @Test
    void postOnce_notAnsweredWithinItsTimeout_failsWithATimeout_andIsNotRepeated() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        silent.createContext("/", exchange -> {
            requests.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS); // never answers in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            FunctionsClient client = new FunctionsClient(config(URI.create("http://127.0.0.1:"
                    + silent.getAddress().getPort()), Duration.ofSeconds(5)), new ObjectMapper(), new SimpleMeterRegistry());
            assertThatThrownBy(() -> client.postOnce("register-batch", Map.of("registrations", java.util.List.of()),
                    Map.class, Duration.ofMillis(300)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HttpTimeoutException.class);
            assertThat(requests.get()).isEqualTo(1);
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    void post_repeatsACallThatTimedOutOrGot503_andCountsEachRepeatByCause() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer functions = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        functions.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        functions.createContext("/", exchange -> {
            int n = requests.incrementAndGet();
            if (n == 1) {
                try {
                    release.await(30, TimeUnit.SECONDS); // the first is not answered in time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] body = n == 2 ? new byte[0] : "{\"ok\":true}".getBytes();
            exchange.sendResponseHeaders(n == 2 ? 503 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        functions.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try {
            FunctionsClient client = new FunctionsClient(config(URI.create("http://127.0.0.1:"
                    + functions.getAddress().getPort()), Duration.ofMillis(300)), new ObjectMapper(), registry);
            Map<?, ?> answer = client.post("commands/result-batch", Map.of("results", java.util.List.of()), Map.class)
                    .get(30, TimeUnit.SECONDS);
            assertThat(answer.get("ok")).isEqualTo(true);
            assertThat(requests.get()).isEqualTo(3);
            assertThat(registry.get("edge.functions.retries").tag("path", "commands/result-batch")
                    .tag("cause", "timeout").counter().count()).isEqualTo(1.0);
            assertThat(registry.get("edge.functions.retries").tag("path", "commands/result-batch")
                    .tag("cause", "status_5xx").counter().count()).isEqualTo(1.0);
        } finally {
            release.countDown();
            functions.stop(0);
        }
    }

    @Test
    void post_withItsOwnLongerTimeout_waitsForASlowAnswer_insteadOfRepeatingTheCall() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            requests.incrementAndGet();
            try {
                Thread.sleep(600); // past the client's default timeout, within the batch timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"ok\":true}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try {
            FunctionsClient client = new FunctionsClient(config(URI.create("http://127.0.0.1:"
                    + slow.getAddress().getPort()), Duration.ofMillis(200)), new ObjectMapper(), registry);
            Map<?, ?> answer = client.post("commands/lease-batch", Map.of("leases", java.util.List.of()), Map.class,
                    Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
            assertThat(answer.get("ok")).isEqualTo(true);
            assertThat(requests.get()).isEqualTo(1);
            assertThat(registry.find("edge.functions.retries").counters()).isEmpty();
        } finally {
            slow.stop(0);
        }
    }

    /** The edge's settings as far as the client reads them: this URL and timeout, 3 attempts, short back-off. */
    private static EdgeConfig config(URI url, Duration timeout) {
        EdgeConfig.Functions functions = (EdgeConfig.Functions) Proxy.newProxyInstance(
                FunctionsClientTest.class.getClassLoader(), new Class<?>[] {EdgeConfig.Functions.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "url" -> url;
                    case "secret" -> Optional.of("test");
                    case "timeout" -> timeout;
                    case "attempts" -> 3;
                    case "backoff" -> Duration.ofMillis(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (EdgeConfig) Proxy.newProxyInstance(FunctionsClientTest.class.getClassLoader(),
                new Class<?>[] {EdgeConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("functions")) {
                        return functions;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
