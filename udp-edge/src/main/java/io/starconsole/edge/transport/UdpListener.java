package io.starconsole.edge.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Binds the boxes' UDP port and hands every datagram to the {@link DatagramHandler} on the edge's
 * loop. A handler failure is counted and the datagram dropped: junk never reaches the log as a
 * stack trace.
 */
@ApplicationScoped
public class UdpListener {

    private static final Logger LOG = Logger.getLogger(UdpListener.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final EdgeConfig config;
    private final DatagramHandler handler;
    private final EdgeLoop loop;
    private final Counter received;
    private final Counter failed;

    public UdpListener(Vertx vertx, EdgeConfig config, DatagramHandler handler, EdgeLoop loop,
                       MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.handler = handler;
        this.loop = loop;
        this.received = Counter.builder("edge.datagrams.received").description("UDP datagrams received")
                .register(registry);
        this.failed = Counter.builder("edge.datagrams.dropped").tag("reason", "handler_failure")
                .description("datagrams dropped because handling failed").register(registry);
    }

    void start(@Observes StartupEvent event) throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<DatagramSocket> bound = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
                    .setReceiveBufferSize(config.udp().receiveBufferBytes()));
            socket.handler(packet -> {
                received.increment();
                try {
                    handler.handle(packet.data().getBytes(), packet.sender());
                } catch (RuntimeException e) {
                    failed.increment();
                    LOG.debugf("datagram handling failed: %s", e.getClass().getSimpleName());
                }
            });
            socket.listen(config.udp().port(), config.udp().host())
                    .onSuccess(bound::complete)
                    .onFailure(bound::completeExceptionally);
        });
        DatagramSocket socket = bound.get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        loop.bind(socket, context);
        LOG.infof("listening for boxes on udp %s:%d", config.udp().host(), loop.localPort());
    }

    void stop(@Observes ShutdownEvent event) {
        loop.unbind();
    }
}
