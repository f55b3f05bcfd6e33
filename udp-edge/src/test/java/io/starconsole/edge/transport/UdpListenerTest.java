package io.starconsole.edge.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class UdpListenerTest {

    @Inject
    EdgeLoop loop;

    @Inject
    MeterRegistry registry;

    @Test
    void socket_isBound_andHealthSaysSo() {
        assertThat(loop.isBound()).isTrue();
        assertThat(loop.localPort()).isPositive();
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("udp socket"));
    }

    @Test
    void datagram_sentOverRealUdp_isReceivedAndCounted() throws Exception {
        double before = registry.counter("edge.datagrams.received").count();
        try (DatagramSocket box = new DatagramSocket()) {
            byte[] junk = {0x02, 0x7f, 0x00};
            box.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), loop.localPort()));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (registry.counter("edge.datagrams.received").count() <= before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(registry.counter("edge.datagrams.received").count()).isGreaterThan(before);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("edge_datagrams_received_total"))
                .body(containsString("edge_datagrams_dropped_total"));
    }
}
