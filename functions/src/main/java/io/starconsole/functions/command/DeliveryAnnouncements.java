package io.starconsole.functions.command;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hears the database announce new deliveries ({@code NOTIFY star_console_new_deliveries} with the
 * edges concerned, sent by {@link DeliveryNotices} after an enqueue's commit or by the deliveries'
 * trigger at the commit of the rarer writers) and wakes the edges' waiting feed requests. It
 * holds one dedicated connection with {@code LISTEN}, reconnecting after a database outage; while
 * it is not connected, {@link #listening()} is false and the feed falls back to polling.
 */
@ApplicationScoped
public class DeliveryAnnouncements {

    static final String CHANNEL = "star_console_new_deliveries";
    private static final Logger LOG = Logger.getLogger(DeliveryAnnouncements.class);
    private static final long RECONNECT_DELAY_MILLIS = 1_000;

    /** A waiting feed request of one edge; completed by the next announcement naming it. */
    public static final class Waiter {
        private final String edgeId;
        private final CompletableFuture<Void> announced = new CompletableFuture<>();

        private Waiter(String edgeId) {
            this.edgeId = edgeId;
        }

        public CompletableFuture<Void> announced() {
            return announced;
        }
    }

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final Vertx vertx;
    private final CommandConfig config;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private volatile PgSubscriber subscriber;
    private volatile boolean listening;

    public DeliveryAnnouncements(Vertx vertx, CommandConfig config,
                                 @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                                 @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                                 @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.config = config;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        if (!config.feed().listen()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(config.feed().listenUrl().orElse(url));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        options.setMetricsName("delivery-announcements"); // its own pool metrics, beside the datasource's
        PgSubscriber pg = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> RECONNECT_DELAY_MILLIS);
        pg.channel(CHANNEL)
                .subscribeHandler(v -> {
                    listening = true;
                    // Without a handler the client prints a lost connection's stack trace to stderr (a
                    // database restart resets it); the subscriber reconnects by itself, so a line will do.
                    PgConnection connection = pg.actualConnection();
                    if (connection != null) {
                        connection.exceptionHandler(e -> LOG.infof(
                                "the connection listening for new deliveries failed (%s); reconnecting", e.getMessage()));
                    }
                    wakeAll(); // whatever was announced while we were deaf
                })
                .handler(this::announce);
        pg.closeHandler(v -> listening = false);
        subscriber = pg;
        pg.connect().onFailure(e -> LOG.warnf("not listening for new deliveries yet (%s); the feed polls meanwhile",
                e.getClass().getSimpleName()));
    }

    void stop(@Observes ShutdownEvent event) {
        PgSubscriber pg = subscriber;
        if (pg != null) {
            pg.close();
        }
        listening = false;
        wakeAll();
    }

    /** Whether announcements arrive now; if not, waiters must poll. */
    public boolean listening() {
        return listening;
    }

    /** Registers interest before looking, so an announcement between the look and the wait is not missed. */
    public Waiter register(String edgeId) {
        Waiter waiter = new Waiter(edgeId);
        waiters.add(waiter);
        return waiter;
    }

    public void unregister(Waiter waiter) {
        waiters.remove(waiter);
    }

    /** An announcement: the edges named (empty: all edges). */
    void announce(String payload) {
        Set<String> edges = payload == null || payload.isEmpty() ? null : Set.of(payload.split(","));
        for (Waiter waiter : waiters) {
            if (edges == null || edges.contains(waiter.edgeId)) {
                waiters.remove(waiter);
                waiter.announced.complete(null);
            }
        }
    }

    private void wakeAll() {
        announce("");
    }
}
