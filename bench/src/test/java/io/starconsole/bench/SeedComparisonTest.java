package io.starconsole.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SeedComparisonTest {

    private static final String STAT = "4242 (postgres: spnbox swalker_db 127.0.0.1(5) idle) S 4100 4100 4100 0 -1"
            + " 4194560 300 0 0 0 120 30 7 5 20 0 1 0 500 200000000 3000 18446744073709551615 1 1 0 0 0 0 0"
            + " 4096 0 0 0 17 1 0 0 0 0 0";

    @Test
    void stat_parentAndReapedChildren_areReadAfterTheName() {
        assertThat(Proc.parentPidFromStat(STAT)).isEqualTo(4100);
        assertThat(Proc.cpuTicksFromStat(STAT)).isEqualTo(120 + 30);
        assertThat(Proc.reapedChildrenTicksFromStat(STAT)).isEqualTo(7 + 5);
    }

    @Test
    void activity_twoReadings_giveCountsAndRatesOfTheInterval() {
        DatabaseActivity first = new DatabaseActivity(1_000_000_000L, 100, 2, 50, 10, 20, 0, 8192, 300);
        DatabaseActivity last = new DatabaseActivity(3_000_000_000L, 2100, 4, 4050, 210, 4020, 0, 8192 + 40960, 350);

        DatabaseActivity.Interval interval = last.since(first);

        assertThat(interval.seconds()).isEqualTo(2.0);
        assertThat(interval.transactions()).isEqualTo(2002);
        assertThat(interval.transactionsPerSecond()).isEqualTo(1001);
        assertThat(interval.rowsWrittenPerSecond()).isEqualTo((200 + 4000) / 2.0);
        assertThat(interval.rowsFetchedPerSecond()).isEqualTo(2000);
        assertThat(interval.walKibPerSecond()).isEqualTo(20);
        assertThat(interval.cpuPercentOfOneCore()).isCloseTo(25, within(1e-9)); // 0.5 s of CPU in 2 s
    }

    @Test
    void activity_readingsOutOfOrder_areRejected() {
        DatabaseActivity early = new DatabaseActivity(1, 0, 0, 0, 0, 0, 0, 0, 0);
        DatabaseActivity late = new DatabaseActivity(2, 0, 0, 0, 0, 0, 0, 0, 0);

        assertThatThrownBy(() -> early.since(late)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interval_lessIdle_subtractsTheIdleRateScaledToItsLength() {
        DatabaseActivity.Interval loaded = new DatabaseActivity.Interval(60, 6000, 1200, 60, 12000, 0, 600_000, 30);
        DatabaseActivity.Interval idle = new DatabaseActivity.Interval(10, 100, 500, 0, 10, 0, 1000, 1);

        DatabaseActivity.Interval net = loaded.lessIdle(idle);

        assertThat(net.transactions()).isEqualTo(6000 - 600);
        assertThat(net.rowsFetched()).isZero(); // never below zero
        assertThat(net.rowsUpdated()).isEqualTo(12000 - 60);
        assertThat(net.walBytes()).isEqualTo(600_000 - 6000);
        assertThat(net.cpuSeconds()).isEqualTo(30 - 6);
    }

    @Test
    void commandClock_receiptBeforeTheEnqueueAnswer_stillCountsFromTheDueTime() {
        CommandClock clock = new CommandClock(new RateSchedule(0, 10), 4); // due at 0, 100, 200, 300 ms
        clock.received(71, 150_000_000L); // the box got command 71 before its enqueue was answered
        clock.enqueued(1, 71);
        clock.enqueued(0, 70);
        clock.received(70, 20_000_000L);
        clock.received(70, 900_000_000L); // delivered again: the first receipt counts
        clock.enqueueFailed(2);
        clock.enqueued(3, 73); // never received

        Histogram latency = clock.latency();

        assertThat(latency.getTotalCount()).isEqualTo(2);
        assertThat(latency.getMaxValue()).isCloseTo(50_000_000L, within(50_000L));
        assertThat(latency.getMinValue()).isCloseTo(20_000_000L, within(20_000L));
        assertThat(clock.enqueueFailures()).isEqualTo(1);
        assertThat(clock.undelivered()).isEqualTo(1);
    }

    @Test
    void pingClock_countsOnlyTheMeasuredSequences() {
        PingClock clock = new PingClock(new RateSchedule(0, 1000), 10, 20); // 10 measured, 1 ms apart
        for (long s = 0; s < 30; s++) {
            if (s != 15) { // one lost
                clock.answered(s, s * 1_000_000L + 2_000_000L);
            }
        }

        LatencyReport report = clock.report("t");

        assertThat(report.sent()).isEqualTo(10);
        assertThat(report.answered()).isEqualTo(9);
        assertThat(report.lossPercent()).isCloseTo(10, within(1e-9));
        assertThat(report.millis(50)).isCloseTo(2, within(0.01));
        assertThat(report.seconds()).isCloseTo(0.010, within(1e-9));
    }

    @Test
    void load_spreadsPingsOverTheIntervalAndMeasuresTheMiddle() {
        ComparisonLoad load = new ComparisonLoad(2000, Duration.ofSeconds(5), Duration.ofSeconds(1), 10, 10, 60, 5);

        assertThat(load.pingsPerSecond()).isEqualTo(400);
        assertThat(load.pollsPerSecond()).isEqualTo(2000);
        assertThat(load.pings()).isEqualTo(400 * 75);
        assertThat(load.firstMeasuredPing()).isEqualTo(4000);
        assertThat(load.endMeasuredPing()).isEqualTo(4000 + 24000);
        assertThat(load.commands()).isEqualTo(600);
        assertThat(load.boxOf(2000 * 3 + 7)).isEqualTo(7);
        assertThatThrownBy(() -> new ComparisonLoad(0, Duration.ofSeconds(5), Duration.ofSeconds(5), 10, 0, 60, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seedWire_answerCarriesItsCommandIds() {
        ByteBuffer request = SeedServer.request(SeedServer.ASK_USER_CMD, 17, 99);
        assertThat(request.remaining()).isEqualTo(SeedServer.REQUEST_BYTES);
        assertThat(request.get()).isEqualTo(SeedServer.ASK_USER_CMD);
        assertThat(request.getInt()).isEqualTo(17);
        assertThat(request.getLong()).isEqualTo(99);

        ByteBuffer answer = ByteBuffer.allocate(2 + 16).putShort((short) 2).putLong(5).putLong(6).flip();
        assertThat(SeedServer.commandIds(answer)).containsExactly(5, 6);
    }

    @Test
    void table_ratio_saysHowManyTimesTheSeedsFigureIsOurs() {
        assertThat(ComparisonTable.ratio(3000, 60)).isEqualTo("50x");
        assertThat(ComparisonTable.ratio(31, 41)).isEqualTo("0.76x");
        assertThat(ComparisonTable.ratio(5, 0)).isEqualTo("-");
    }
}
