package io.starconsole.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.codec.ProtocolException.Reason;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Sessions of JEDI/3 ({@link JediVersion#CURRENT}); {@link Jedi2SessionTest} runs the same for JEDI/2. */
class SessionTest {

    private final JediVersion version = version();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final Session box = pair(7, 9)[0];
    private final Session edge = pair(7, 9)[1];

    /** A box session (index 7) and an edge session (index 9) sharing keys derived from {@code seed}. */
    private Session[] pair(int boxIndex, int edgeIndex) {
        byte[] up = filled(boxIndex);
        byte[] down = filled(edgeIndex + 100);
        Key peer = Key.copyOf(filled(1));
        return new Session[] {
                new Session(boxIndex, edgeIndex, peer, up.clone(), down.clone(), true, clock::get, version),
                new Session(edgeIndex, boxIndex, peer, down.clone(), up.clone(), false, clock::get, version)};
    }

    JediVersion version() {
        return JediVersion.CURRENT;
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static void assertRejected(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void sealThenOpen_ping_returnsPing() throws ProtocolException {
        assertThat(edge.open(box.seal(new Ping(1)))).isEqualTo(new Ping(1));
        assertThat(box.open(edge.seal(AnsUserCmd.none()))).isEqualTo(AnsUserCmd.none());
    }

    @Test
    void seal_largestAnsUserCmd_fitsInOneDatagram() throws ProtocolException {
        UserCommand command = new UserCommand(1, UserCommandType.ADD_L3_SPN_TUNNEL, 255, "t".repeat(64), new byte[900]);

        byte[] datagram = edge.seal(AnsUserCmd.of(command, true));

        assertThat(datagram.length).isLessThanOrEqualTo(1200);
        assertThat(box.open(datagram)).isEqualTo(AnsUserCmd.of(command, true));
    }

    @Test
    void open_replayedDatagram_isRejectedAsReplay() throws ProtocolException {
        byte[] datagram = box.seal(new Ping(1));
        edge.open(datagram);

        assertRejected(() -> edge.open(datagram), Reason.REPLAY);
    }

    @Test
    void open_reorderedWithinWindow_isAccepted() throws ProtocolException {
        byte[] first = box.seal(new Ping(1));
        byte[] second = box.seal(new Ping(2));

        assertThat(edge.open(second)).isEqualTo(new Ping(2));
        assertThat(edge.open(first)).isEqualTo(new Ping(1));
    }

    @Test
    void open_olderThanWindow_isRejectedAsReplay() throws ProtocolException {
        byte[] old = box.seal(new Ping(0));
        byte[] newest = null;
        for (int i = 0; i <= ReplayWindow.WINDOW_SIZE; i++) {
            newest = box.seal(new Ping(i));
        }
        edge.open(newest);
        byte[] stale = old;

        assertRejected(() -> edge.open(stale), Reason.REPLAY);
    }

    @Test
    void open_truncatedDatagram_isRejectedBeforeCrypto() throws ProtocolException {
        byte[] datagram = box.seal(new Ping(1));

        for (int length = 0; length < datagram.length; length++) {
            byte[] cut = Arrays.copyOf(datagram, length);
            assertThatThrownBy(() -> edge.open(cut)).isInstanceOf(ProtocolException.class);
        }
        assertRejected(() -> edge.open(Arrays.copyOf(datagram, 4)), Reason.BAD_LENGTH);
    }

    @Test
    void open_everySingleBitFlipped_isRejected() throws ProtocolException {
        byte[] datagram = box.seal(new Ping(1));

        for (int bit = 0; bit < datagram.length * 8; bit++) {
            byte[] flipped = datagram.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> edge.open(flipped)).as("bit %d", bit).isInstanceOf(ProtocolException.class);
        }
        assertThat(edge.open(datagram)).isEqualTo(new Ping(1));
    }

    @Test
    void open_datagramOfAnotherSessionWithSameIndex_failsAuthentication() throws ProtocolException {
        Session[] other = new Session[] {
                new Session(7, 9, Key.copyOf(filled(1)), filled(55), filled(66), true, clock::get, version), null};

        assertRejected(() -> edge.open(other[0].seal(new Ping(1))), Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void open_datagramForAnotherIndex_isRejectedAsUnknownSession() throws ProtocolException {
        Session[] other = pair(7, 10);

        assertRejected(() -> edge.open(other[0].seal(new Ping(1))), Reason.UNKNOWN_SESSION);
    }

    @Test
    void sealAndOpen_after180Seconds_areRejectedAsExpired() throws ProtocolException {
        byte[] datagram = box.seal(new Ping(1));
        clock.addAndGet(Timers.REJECT_AFTER_TIME_NANOS);

        assertThat(box.isExpired(clock.get())).isTrue();
        assertRejected(() -> edge.open(datagram), Reason.EXPIRED);
        assertRejected(() -> box.seal(new Ping(2)), Reason.EXPIRED);
    }

    @Test
    void needsRekey_after120Seconds_onlyForTheBox() {
        clock.addAndGet(Timers.REKEY_AFTER_TIME_NANOS);

        assertThat(box.needsRekey(clock.get())).isTrue();
        assertThat(edge.needsRekey(clock.get())).isFalse();
        assertThat(box.isExpired(clock.get())).isFalse();
    }

    @Test
    void destroy_thenSealOrOpen_isRejectedAsExpired() throws ProtocolException {
        byte[] datagram = box.seal(new Ping(1));
        edge.destroy();

        assertRejected(() -> edge.open(datagram), Reason.EXPIRED);
        assertRejected(() -> edge.seal(new Ping(1)), Reason.EXPIRED);
    }

    @Test
    void open_wrongVersionOrKind_isRejectedBeforeCrypto() throws ProtocolException {
        byte[] datagram = box.seal(new Ping(1));
        byte[] version = datagram.clone();
        version[0] = 1;
        byte[] kind = datagram.clone();
        kind[1] = 9;

        assertRejected(() -> edge.open(version), Reason.UNSUPPORTED_VERSION);
        assertRejected(() -> edge.open(kind), Reason.UNKNOWN_PACKET_KIND);
    }

    @Test
    void open_datagramOfTheOtherVersion_isRejectedBeforeCrypto() throws ProtocolException {
        byte[] datagram = box.seal(new Ping(1));
        for (JediVersion other : JediVersion.values()) {
            if (other != version) {
                byte[] relabelled = datagram.clone();
                relabelled[0] = (byte) other.wireByte();
                assertRejected(() -> edge.open(relabelled), Reason.UNSUPPORTED_VERSION);
            }
        }
        assertThat(edge.open(datagram)).isEqualTo(new Ping(1));
        assertThat(datagram[0]).isEqualTo((byte) version.wireByte());
    }
}
