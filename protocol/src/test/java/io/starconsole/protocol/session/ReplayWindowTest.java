package io.starconsole.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void accept_sameCounterTwice_isRefusedSecondTime() {
        ReplayWindow window = new ReplayWindow();

        assertThat(window.accept(5)).isTrue();
        assertThat(window.accept(5)).isFalse();
    }

    @Test
    void accept_reorderedWithinWindow_isAcceptedOnce() {
        ReplayWindow window = new ReplayWindow();
        window.accept(3000);

        assertThat(window.accept(3000 - ReplayWindow.WINDOW_SIZE + 1)).isTrue();
        assertThat(window.accept(2999)).isTrue();
        assertThat(window.accept(2999)).isFalse();
    }

    @Test
    void accept_olderThanWindow_isRefused() {
        ReplayWindow window = new ReplayWindow();
        window.accept(3000);

        assertThat(window.accept(3000 - ReplayWindow.WINDOW_SIZE)).isFalse();
        assertThat(window.accept(0)).isFalse();
    }

    @Test
    void accept_afterLongJump_forgetsOldBitsButKeepsNewOnes() {
        ReplayWindow window = new ReplayWindow();
        for (long c = 0; c < 100; c++) {
            window.accept(c);
        }
        window.accept(100 + ReplayWindow.WINDOW_SIZE - 10);

        assertThat(window.mayAccept(99)).isFalse();   // now too old
        assertThat(window.mayAccept(100)).isTrue();   // within window, never seen
        assertThat(window.mayAccept(100 + ReplayWindow.WINDOW_SIZE - 10)).isFalse();
    }

    @Test
    void accept_everyCounterInOrderThenAllAgain_refusesAllReplays() {
        ReplayWindow window = new ReplayWindow();
        for (long c = 0; c < 10_000; c++) {
            assertThat(window.accept(c)).isTrue();
        }
        for (long c = 0; c < 10_000; c++) {
            assertThat(window.mayAccept(c)).isFalse();
        }
    }
}
