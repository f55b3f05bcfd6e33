package io.starconsole.edge.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Binds the boxes' UDP port and hands every datagram to the {@link DatagramHandler}. A handler
 * failure is counted and the datagram dropped: junk never reaches the log as a stack trace.
 */
@ApplicationScoped
public class UdpListener {

    private static final Logger LOG = Logger.getLogger(UdpListener.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final EdgeConfig config;
    private final Instance<DatagramHandler> handler;
    private final Counter received;
    private final Counter failed;
    private final Counter unhandled;
    private volatile DatagramSocket socket;

    public UdpListener(Vertx vertx, EdgeConfig config, Instance<DatagramHandler> handler, MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.handler = handler;
        this.received = Counter.builder("edge.datagrams.received").description("UDP datagrams received")
                .register(registry);
        this.failed = Counter.builder("edge.datagrams.dropped").tag("reason", "handler_failure")
                .description("datagrams dropped because handling failed").register(registry);
        this.unhandled = Counter.builder("edge.datagrams.dropped").tag("reason", "no_handler")
                .description("datagrams dropped because no protocol handler is installed").register(registry);
    }

    void start(@Observes StartupEvent event) throws Exception {
        DatagramSocket created = vertx.createDatagramSocket(new DatagramSocketOptions()
                .setReceiveBufferSize(config.udp().receiveBufferBytes()));
        DatagramHandler target = handler.isResolvable() ? handler.get() : (datagram, from, replies) -> unhandled.increment();
        DatagramHandler.DatagramSender sender = (datagram, to) -> created.send(datagram, to.port(), to.host());
        created.handler(packet -> {
            received.increment();
            try {
                target.handle(packet.data(), packet.sender(), sender);
            } catch (RuntimeException e) {
                failed.increment();
                LOG.debugf("datagram handling failed: %s", e.getClass().getSimpleName());
            }
        });
        created.listen(config.udp().port(), config.udp().host())
                .toCompletionStage().toCompletableFuture()
                .get(BIND_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        socket = created;
        LOG.infof("listening for boxes on udp %s:%d", config.udp().host(), localPort());
    }

    void stop(@Observes ShutdownEvent event) {
        DatagramSocket current = socket;
        socket = null;
        if (current != null) {
            current.close();
        }
    }

    /** True while the socket is bound. */
    public boolean isBound() {
        return socket != null;
    }

    /** The bound port (the configured one, or the one picked when configured as 0); -1 when not bound. */
    public int localPort() {
        DatagramSocket current = socket;
        return current == null ? -1 : current.localAddress().port();
    }
}
