package io.starconsole.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Round trips of the PINGs of one run, sent open loop: PING {@code s} is due at
 * {@code schedule.dueNanos(s)}; only sequences in {@code [firstMeasured, endMeasured)} count (warm-up
 * before, drain after). A round trip is measured from the due time, so a late sender shows.
 */
final class PingClock {

    private final RateSchedule schedule;
    private final long firstMeasured;
    private final long endMeasured;
    private final Histogram roundTrips = LatencyReport.newHistogram();
    private final AtomicLong answered = new AtomicLong();

    PingClock(RateSchedule schedule, long firstMeasured, long endMeasured) {
        if (firstMeasured < 0 || endMeasured <= firstMeasured) {
            throw new IllegalArgumentException("no PINGs to measure in [" + firstMeasured + ", " + endMeasured + ")");
        }
        this.schedule = schedule;
        this.firstMeasured = firstMeasured;
        this.endMeasured = endMeasured;
    }

    void answered(long sequence, long receivedNanos) {
        if (sequence < firstMeasured || sequence >= endMeasured) {
            return;
        }
        long roundTrip = Math.max(0, receivedNanos - schedule.dueNanos(sequence));
        synchronized (roundTrips) {
            roundTrips.recordValue(Math.min(roundTrip, roundTrips.getHighestTrackableValue()));
        }
        answered.incrementAndGet();
    }

    /** The measured PINGs as a report: sent, answered (lost is the difference) and round trips. */
    LatencyReport report(String name) {
        synchronized (roundTrips) {
            return new LatencyReport(name, endMeasured - firstMeasured, answered.get(),
                    (schedule.dueNanos(endMeasured) - schedule.dueNanos(firstMeasured)) / 1e9, roundTrips.copy());
        }
    }
}
