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
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.starconsole.protocol.codec.Packet;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Binds the boxes' UDP port and hands every datagram to the {@link DatagramHandler} on the thread
 * of the socket it came in on. A handler failure is counted and the datagram dropped: junk never
 * reaches the log as a stack trace.
 *
 * <p>On Linux (Netty's native epoll transport) the edge binds {@code star-console.edge.udp.sockets}
 * sockets to the one port with SO_REUSEPORT, each read by its own thread: the kernel keeps each
 * box (source address and port) on one socket, and one thread no longer caps the keepalive rate.
 * Each read takes up to 16 datagrams in one {@code recvmmsg}, and the answers of a batch leave in
 * one {@code sendmmsg}. Elsewhere it binds one NIO socket on the home loop.
 *
 * <p>The sockets are Netty channels, not Vert.x {@code DatagramSocket}s: that one reads every
 * datagram into a buffer as large as the socket's receive buffer (4 MiB, zeroed per datagram) and
 * resolves the destination host of every send. Here each datagram gets a buffer of the protocol's
 * largest datagram, and sends take the sender's address as it came.
 */
@Singleton
public class UdpListener {

    private static final Logger LOG = Logger.getLogger(UdpListener.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /** Read buffer: one byte more than the largest datagram, so an oversized one is seen whole enough to refuse. */
    private static final int READ_BUFFER_SIZE_IN_BYTES = Packet.MAX_DATAGRAM_SIZE_IN_BYTES + 1;
    /** Datagrams one recvmmsg call may read (native transport). */
    private static final int READS_PER_CALL = 16;

    private final Vertx vertx;
    private final EdgeConfig config;
    private final DatagramHandler handler;
    private final EdgeLoop loop;
    private final Counter received;
    private final Counter failed;
    /** The sockets' threads with the native transport; null with NIO (the home loop reads). */
    private EpollEventLoopGroup socketThreads;

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
        Context home = vertx.getOrCreateContext();
        int wanted = config.udp().sockets().orElse(Runtime.getRuntime().availableProcessors());
        if (wanted < 1) {
            throw new IllegalStateException("star-console.edge.udp.sockets must be at least 1, was " + wanted);
        }
        List<EdgeLoop.BoundSocket> bound = Epoll.isAvailable() ? bindNative(wanted) : bindNio(home, wanted);
        loop.bind(bound, home);
        LOG.infof("listening for boxes on udp %s:%d (%d %s socket%s)", config.udp().host(), loop.localPort(),
                bound.size(), Epoll.isAvailable() ? "epoll" : "NIO", bound.size() == 1 ? "" : "s");
    }

    /** Linux: {@code count} sockets on one port (SO_REUSEPORT), each on its own thread, batched reads and writes. */
    private List<EdgeLoop.BoundSocket> bindNative(int count) throws InterruptedException {
        socketThreads = new EpollEventLoopGroup(count, new DefaultThreadFactory("edge-udp", true));
        List<EdgeLoop.BoundSocket> bound = new ArrayList<>();
        int port = config.udp().port();
        for (int i = 0; i < count; i++) {
            EdgeLoop.BoundSocket socket = bind(new Bootstrap()
                    .group(socketThreads)
                    .channelFactory(() -> new EpollDatagramChannel(family()))
                    .option(EpollChannelOption.SO_REUSEPORT, true)
                    // recvmmsg: one read fills up to READS_PER_CALL datagrams of at most the protocol's size
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, READ_BUFFER_SIZE_IN_BYTES)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(READ_BUFFER_SIZE_IN_BYTES * READS_PER_CALL)), port);
            bound.add(socket);
            port = ((InetSocketAddress) socket.channel.localAddress()).getPort(); // port 0: the others join the first
        }
        return bound;
    }

    /** Elsewhere: one NIO socket on the home loop. */
    private List<EdgeLoop.BoundSocket> bindNio(Context home, int wanted) throws InterruptedException {
        if (wanted > 1) {
            LOG.infof("native epoll transport not available (%s): one NIO socket instead of %d",
                    Epoll.unavailabilityCause() == null ? "not Linux" : Epoll.unavailabilityCause().getMessage(), wanted);
        }
        return List.of(bind(new Bootstrap()
                .group(((ContextInternal) home).nettyEventLoop())
                .channelFactory(() -> new NioDatagramChannel(family()))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BUFFER_SIZE_IN_BYTES)),
                config.udp().port()));
    }

    private EdgeLoop.BoundSocket bind(Bootstrap bootstrap, int port) throws InterruptedException {
        Inbound inbound = new Inbound();
        ChannelFuture bind = bootstrap
                .option(ChannelOption.SO_RCVBUF, config.udp().receiveBufferBytes())
                .handler(inbound)
                .bind(config.udp().host(), port);
        if (!bind.await(BIND_TIMEOUT.toMillis())) {
            throw new IllegalStateException("udp bind did not finish within " + BIND_TIMEOUT);
        }
        if (!bind.isSuccess()) {
            throw new IllegalStateException("could not bind udp " + config.udp().host() + ":" + port, bind.cause());
        }
        return inbound.socket;
    }

    /** IPv4 unless the configured host is IPv6, as Vert.x's DatagramSocket did. */
    private InternetProtocolFamily family() {
        return config.udp().host().contains(":") ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
    }

    void stop(@Observes ShutdownEvent event) {
        loop.unbind();
        if (socketThreads != null) {
            socketThreads.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Datagrams in, one batch per read; answers sent meanwhile are flushed when the batch ends. */
    private final class Inbound extends ChannelInboundHandlerAdapter {

        /** Set at registration, before the socket is bound, so before its first read. */
        private volatile EdgeLoop.BoundSocket socket;

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            socket = new EdgeLoop.BoundSocket(ctx.channel());
            ctx.fireChannelRegistered();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                socket.reading = true;
                socket.received++;
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
            socket.reading = false;
            socket.channel.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed.increment();
            LOG.debugf("udp socket error: %s", cause.getClass().getSimpleName());
        }
    }
}
