package io.starconsole.edge.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.starconsole.protocol.codec.Packet;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Binds the boxes' UDP port and hands every datagram to the {@link DatagramHandler} on the edge's
 * loop. A handler failure is counted and the datagram dropped: junk never reaches the log as a
 * stack trace.
 *
 * <p>The socket is a Netty channel on the Vert.x event loop of the edge's context, not a Vert.x
 * {@code DatagramSocket}: that one reads every datagram into a buffer as large as the socket's
 * receive buffer (4 MiB, zeroed per datagram) and resolves the destination host of every send.
 * Here each read gets a buffer of the protocol's largest datagram, and sends take the sender's
 * address as it came.
 */
@ApplicationScoped
public class UdpListener {

    private static final Logger LOG = Logger.getLogger(UdpListener.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /** Read buffer: one byte more than the largest datagram, so an oversized one is seen whole enough to refuse. */
    private static final int READ_BUFFER_SIZE_IN_BYTES = Packet.MAX_DATAGRAM_SIZE_IN_BYTES + 1;

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
        ChannelFuture bind = new Bootstrap()
                .group(((ContextInternal) context).nettyEventLoop())
                // IPv4 unless the configured host is IPv6, as Vert.x's DatagramSocket did
                .channelFactory(() -> new NioDatagramChannel(config.udp().host().contains(":")
                        ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4))
                .option(ChannelOption.SO_RCVBUF, config.udp().receiveBufferBytes())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BUFFER_SIZE_IN_BYTES))
                .handler(new Inbound())
                .bind(config.udp().host(), config.udp().port());
        if (!bind.await(BIND_TIMEOUT.toMillis())) {
            throw new IllegalStateException("udp bind did not finish within " + BIND_TIMEOUT);
        }
        if (!bind.isSuccess()) {
            throw new IllegalStateException("could not bind udp " + config.udp().host() + ":" + config.udp().port(),
                    bind.cause());
        }
        loop.bind(bind.channel(), context);
        LOG.infof("listening for boxes on udp %s:%d", config.udp().host(), loop.localPort());
    }

    void stop(@Observes ShutdownEvent event) {
        loop.unbind();
    }

    /** Datagrams in, one batch per read; answers sent meanwhile are flushed when the batch ends. */
    private final class Inbound extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                loop.readBatch(true);
                received.increment();
                ByteBuf content = packet.content();
                byte[] datagram = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), datagram);
                handler.handle(datagram, packet.sender());
            } catch (RuntimeException e) {
                failed.increment();
                LOG.debugf("datagram handling failed: %s", e.getClass().getSimpleName());
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            loop.readBatch(false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed.increment();
            LOG.debugf("udp socket error: %s", cause.getClass().getSimpleName());
        }
    }
}
