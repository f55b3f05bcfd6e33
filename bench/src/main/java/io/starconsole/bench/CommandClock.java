package io.starconsole.bench;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Enqueue-to-delivery times of one run's commands. Command {@code i} is due at
 * {@code schedule.dueNanos(i)} (open loop); its id is learnt when the enqueue answers, and a box may
 * receive it before that answer is read, so receipts are kept by command id and matched at the end.
 * A command received more than once counts from its first receipt.
 */
final class CommandClock {

    private static final long UNKNOWN = 0;
    private static final long FAILED = -1;

    private final RateSchedule schedule;
    private final AtomicLongArray ids;
    private final Map<Long, Long> firstReceipt = new ConcurrentHashMap<>();

    CommandClock(RateSchedule schedule, int commands) {
        this.schedule = schedule;
        this.ids = new AtomicLongArray(commands);
    }

    int commands() {
        return ids.length();
    }

    long dueNanos(int index) {
        return schedule.dueNanos(index);
    }

    void enqueued(int index, long commandId) {
        if (commandId <= 0) {
            throw new IllegalArgumentException("command ids are positive, got " + commandId);
        }
        ids.set(index, commandId);
    }

    void enqueueFailed(int index) {
        ids.set(index, FAILED);
    }

    /** A box got command {@code commandId} at {@code receivedNanos}. */
    void received(long commandId, long receivedNanos) {
        firstReceipt.putIfAbsent(commandId, receivedNanos);
    }

    long enqueueFailures() {
        long failures = 0;
        for (int i = 0; i < ids.length(); i++) {
            if (ids.get(i) == FAILED || ids.get(i) == UNKNOWN) {
                failures++;
            }
        }
        return failures;
    }

    /** Commands enqueued whose box has not received them. */
    long undelivered() {
        long missing = 0;
        for (int i = 0; i < ids.length(); i++) {
            long id = ids.get(i);
            if (id > 0 && !firstReceipt.containsKey(id)) {
                missing++;
            }
        }
        return missing;
    }

    /** From each delivered command's due time to its first receipt, in nanoseconds. */
    Histogram latency() {
        Histogram h = LatencyReport.newHistogram();
        for (int i = 0; i < ids.length(); i++) {
            Long receipt = ids.get(i) > 0 ? firstReceipt.get(ids.get(i)) : null;
            if (receipt != null) {
                h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(0, receipt - schedule.dueNanos(i))));
            }
        }
        return h;
    }
}
