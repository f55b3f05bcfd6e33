package io.starconsole.edge.jedi;

import io.starconsole.edge.session.EdgeSession;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.MacAddress;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RekeysAtEdgeTest {

    private static final InetSocketAddress HOME = new InetSocketAddress("198.51.100.7", 40000);
    private static final long NOW = TimeUnit.HOURS.toNanos(5);

    private static BoxInfo info(String group, String firmware) throws Exception {
        return new BoxInfo(group, "box@example.org", MacAddress.parse("02:00:00:00:00:01"),
                (Inet4Address) InetAddress.getByName("10.99.0.5"), 16, 51820, 51820, "10.1.0.0/24", firmware, "");
    }

    private static EdgeSession admitted(long atNanos, long digest) {
        return new EdgeSession(null, "key", HOME, atNanos, false, atNanos, digest);
    }

    @Test
    void digest_isEqualForEqualInformation_andDiffersWhenAnyFieldDoes() throws Exception {
        long digest = RekeysAtEdge.digest(info("g", "1.0.0"));
        assertThat(RekeysAtEdge.digest(info("g", "1.0.0"))).isEqualTo(digest);
        assertThat(RekeysAtEdge.digest(info("h", "1.0.0"))).isNotEqualTo(digest);
        assertThat(RekeysAtEdge.digest(info("g", "1.0.1"))).isNotEqualTo(digest);
        assertThat(digest).isNotEqualTo(EdgeSession.NOT_REKEYABLE_HERE);
    }

    @Test
    void admittedDigest_isTheInformationForOk_withTheGrantedAddressForOkNewIp_andNoneOtherwise() throws Exception {
        BoxInfo hello = TestBox.info("g");
        long helloDigest = RekeysAtEdge.digest(hello);
        OkNewIp granted = new OkNewIp((Inet4Address) InetAddress.getByName("10.99.0.5"), 16);

        assertThat(RekeysAtEdge.admittedDigest(new Ok(MessageType.HELLO), hello, helloDigest)).isEqualTo(helloDigest);
        assertThat(RekeysAtEdge.admittedDigest(granted, hello, helloDigest))
                .as("the box's information once it holds 10.99.0.5/16").isEqualTo(RekeysAtEdge.digest(info("g", "1.0.0")));
        assertThat(RekeysAtEdge.admittedDigest(new OkNewIp((Inet4Address) InetAddress.getByName("10.99.0.5"), 24),
                hello, helloDigest)).as("another prefix").isNotEqualTo(RekeysAtEdge.digest(info("g", "1.0.0")));
        assertThat(RekeysAtEdge.admittedDigest(new Nok(MessageType.HELLO, NokReason.TRY_AGAIN, ""), hello, helloDigest))
                .isEqualTo(EdgeSession.NOT_REKEYABLE_HERE);
    }

    @Test
    void answerHere_onlyForTheSameAddressAndInformation_withinTheWindow() throws Exception {
        RekeysAtEdge rekeys = new RekeysAtEdge(Duration.ofMinutes(30));
        long digest = RekeysAtEdge.digest(info("g", "1.0.0"));
        EdgeSession recent = admitted(NOW - TimeUnit.MINUTES.toNanos(29), digest);

        assertThat(rekeys.answerHere(recent, HOME, digest, NOW)).isTrue();
        assertThat(rekeys.answerHere(null, HOME, digest, NOW)).as("no session here").isFalse();
        assertThat(rekeys.answerHere(recent, new InetSocketAddress("198.51.100.7", 40001), digest, NOW))
                .as("another port").isFalse();
        assertThat(rekeys.answerHere(recent, HOME, RekeysAtEdge.digest(info("h", "1.0.0")), NOW))
                .as("other information").isFalse();
        assertThat(rekeys.answerHere(admitted(NOW - TimeUnit.MINUTES.toNanos(30), digest), HOME, digest, NOW))
                .as("admitted a window ago").isFalse();
        assertThat(rekeys.answerHere(admitted(NOW, EdgeSession.NOT_REKEYABLE_HERE), HOME,
                EdgeSession.NOT_REKEYABLE_HERE, NOW)).as("the functions' answer was not a plain OK").isFalse();
    }

    @Test
    void aWindowOfZero_sendsEveryReconnectToTheFunctions_andTheWindowIsBounded() throws Exception {
        long digest = RekeysAtEdge.digest(info("g", "1.0.0"));
        assertThat(new RekeysAtEdge(Duration.ZERO).answerHere(admitted(NOW, digest), HOME, digest, NOW)).isFalse();
        assertThatThrownBy(() -> new RekeysAtEdge(Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rekeys-at-edge-for");
        assertThatThrownBy(() -> new RekeysAtEdge(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
