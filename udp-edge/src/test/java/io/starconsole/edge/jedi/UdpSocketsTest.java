package io.starconsole.edge.jedi;

import io.netty.channel.epoll.Epoll;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.edge.transport.EdgeLoop;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.Bye;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boxes' port served by several sockets (SO_REUSEPORT, native transport) or, where the native
 * transport is unavailable, by one NIO socket. The build runs this class twice: as is, and with
 * {@code -Dio.netty.transport.noNative=true} (the fallback).
 */
@QuarkusTest
@QuarkusTestResource(FunctionsStandIn.class)
class UdpSocketsTest {

    /** As {@code %test.star-console.edge.udp.sockets} in application.properties. */
    private static final int CONFIGURED_SOCKETS = 4;
    private static final int BOXES = 32;

    @Inject
    EdgeLoop loop;

    @Inject
    KeyPair edgeKeys;

    @Test
    void sockets_areAsTheTransportAllows() {
        boolean nativeDisabled = Boolean.getBoolean("io.netty.transport.noNative");
        if (nativeDisabled) {
            assertThat(Epoll.isAvailable()).isFalse();
            assertThat(loop.socketCount()).as("fallback: one NIO socket").isEqualTo(1);
        } else if (System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            assertThat(Epoll.isAvailable()).as("native epoll on Linux: %s", Epoll.unavailabilityCause()).isTrue();
            assertThat(loop.socketCount()).isEqualTo(CONFIGURED_SOCKETS);
        }
    }

    @Test
    void boxesOnManySourcePorts_allGetTheirPongs_andEndTheirSessions() throws Exception {
        FunctionsStandIn.reset();
        FunctionsStandIn.ANSWERS.put("register", """
                {"outcome":"OK_NEWIP","boxId":7,"spnIp":"10.99.0.5","mask":"16","nokReason":null,"message":null,
                 "commandsPending":false}""");
        FunctionsStandIn.ANSWERS.put("presence", "{\"accepted\":1,\"boxesWithWork\":[]}");
        long[] before = loop.receivedPerSocket();
        List<TestBox> boxes = new ArrayList<>();
        try {
            for (int i = 0; i < BOXES; i++) {
                TestBox box = new TestBox(edgeKeys.publicKey(), loop.localPort());
                boxes.add(box);
                assertThat(box.hello("g")).isInstanceOf(OkNewIp.class);
            }
            for (int round = 1; round <= 5; round++) {
                for (TestBox box : boxes) {
                    box.sendSealed(new Ping(round));
                }
                for (TestBox box : boxes) {
                    Message pong = box.receiveMessage();
                    assertThat(pong).isInstanceOf(Pong.class);
                    assertThat(((Pong) pong).sequence()).isEqualTo(round);
                }
            }
            // BYE is handled on the home loop, whichever socket it came in on
            for (TestBox box : boxes) {
                assertThat(box.request(new Bye())).isEqualTo(new Ok(MessageType.BYE));
            }
        } finally {
            boxes.forEach(TestBox::close);
        }
        long[] after = loop.receivedPerSocket();
        long socketsUsed = 0;
        for (int i = 0; i < after.length; i++) {
            if (after[i] > before[i]) {
                socketsUsed++;
            }
        }
        assertThat(Arrays.stream(after).sum() - Arrays.stream(before).sum())
                .as("HELLO, 5 PINGs and BYE per box").isGreaterThanOrEqualTo(BOXES * 7L);
        if (loop.socketCount() > 1) {
            // 32 source ports all hashed to one of 4 sockets: (1/4)^31 per socket, never in practice
            assertThat(socketsUsed).as("the kernel spreads the boxes over the sockets").isGreaterThan(1);
        }
    }
}
