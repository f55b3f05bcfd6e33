package io.starconsole.edge.relay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Gathers the requests of one kind into calls to the functions that carry many of them, and hands
 * each request its own entry of the answer (the call answers one entry per request, in order) or
 * the call's failure. Requests leave in arrival order, at most {@code entriesPerCall} per call.
 *
 * <p>Without a gathering wait a request goes at once when a call may go; with one, requests wait
 * until a call is full or the oldest of them has waited that long. With a limit on calls in flight
 * (and on requests in them), requests that come while the limit is reached wait, and go together
 * when a call comes back. A call's own timeout (the caller's HTTP client) fails its requests.
 * Requests older than the age limit when their call would leave are not sent: they fail with
 * {@link TooOldException} (whoever asked has given up on the answer by then).
 *
 * @param <E> one request
 * @param <A> its answer
 */
public final class BatchedRelay<E, A> {

    /** Runs a task after a delay: the edge's event loop timers, or a test's hand-driven clock. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(long delayNanos, Runnable task);
    }

    private final Function<List<E>, CompletableFuture<List<A>>> call;
    private final int entriesPerCall;
    private final int callsInFlight;
    private final int entriesInFlight;
    private final long gatherWaitNanos;
    private final long maxAgeNanos;
    private final Scheduler scheduler;
    private final LongSupplier nanoClock;
    private final ArrayDeque<Waiting<E, A>> waiting = new ArrayDeque<>();
    private int callsOut;
    private int entriesOut;
    /** A gathering timer is set and has not run yet. */
    private boolean timerSet;

    private record Waiting<E, A>(E entry, long sinceNanos, CompletableFuture<A> answer) {
    }

    private BatchedRelay(Builder<E, A> builder) {
        this.call = builder.call;
        this.entriesPerCall = builder.entriesPerCall;
        this.callsInFlight = builder.callsInFlight;
        this.entriesInFlight = builder.entriesInFlight;
        this.gatherWaitNanos = builder.gatherWait.toNanos();
        this.maxAgeNanos = builder.maxAge == null ? Long.MAX_VALUE : builder.maxAge.toNanos();
        this.scheduler = builder.scheduler;
        this.nanoClock = builder.nanoClock;
    }

    /** Relays {@code call}'s requests: one request per entry of its argument, one answer per entry of its result. */
    public static <E, A> Builder<E, A> calling(Function<List<E>, CompletableFuture<List<A>>> call) {
        return new Builder<>(call);
    }

    /** Relays this request; its age counts from now. */
    public CompletableFuture<A> submit(E entry) {
        return submit(entry, nanoClock.getAsLong());
    }

    /** Relays this request, which has waited since {@code sinceNanos} (on this relay's clock) already. */
    public CompletableFuture<A> submit(E entry, long sinceNanos) {
        CompletableFuture<A> answer = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(new Waiting<>(entry, sinceNanos, answer));
        }
        sendDue();
        return answer;
    }

    /** Requests not yet sent. */
    public synchronized int waiting() {
        return waiting.size();
    }

    private void sendDue() {
        while (true) {
            List<Waiting<E, A>> batch = new ArrayList<>();
            List<Waiting<E, A>> tooOld = new ArrayList<>();
            long gatherTimer = -1;
            synchronized (this) {
                long now = nanoClock.getAsLong();
                int room = Math.min(entriesPerCall, entriesInFlight - entriesOut);
                if (!waiting.isEmpty() && callsOut < callsInFlight && room >= 1) {
                    long waited = now - waiting.peek().sinceNanos();
                    if (gatherWaitNanos > 0 && waiting.size() < entriesPerCall && waited < gatherWaitNanos) {
                        if (!timerSet) {
                            timerSet = true;
                            gatherTimer = gatherWaitNanos - waited;
                        }
                    } else {
                        while (batch.size() < room && !waiting.isEmpty()) {
                            Waiting<E, A> next = waiting.poll();
                            (now - next.sinceNanos() > maxAgeNanos ? tooOld : batch).add(next);
                        }
                        if (!batch.isEmpty()) {
                            callsOut++;
                            entriesOut += batch.size();
                        }
                    }
                }
            }
            for (Waiting<E, A> old : tooOld) {
                old.answer().completeExceptionally(new TooOldException(maxAgeNanos));
            }
            if (gatherTimer >= 0) {
                scheduler.schedule(gatherTimer, this::gatheringWaitOver);
            }
            if (batch.isEmpty()) {
                if (tooOld.isEmpty()) {
                    return;
                }
                continue; // only stale requests were taken: the next ones may go
            }
            send(batch);
        }
    }

    private void gatheringWaitOver() {
        synchronized (this) {
            timerSet = false;
        }
        sendDue();
    }

    private void send(List<Waiting<E, A>> batch) {
        List<E> entries = new ArrayList<>(batch.size());
        for (Waiting<E, A> waiting : batch) {
            entries.add(waiting.entry());
        }
        CompletableFuture<List<A>> sent;
        try {
            sent = call.apply(entries);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((answers, failure) -> {
            synchronized (this) {
                callsOut--;
                entriesOut -= batch.size();
            }
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<A> answer = batch.get(i).answer();
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else if (answers == null || answers.size() != batch.size()) {
                    answer.completeExceptionally(new IllegalStateException("the functions answered "
                            + (answers == null ? "nothing" : answers.size() + " entries") + " for " + batch.size()));
                } else {
                    answer.complete(answers.get(i));
                }
            }
            sendDue();
        });
    }

    /** The request waited longer than the relay's age limit, so it was not sent. */
    public static final class TooOldException extends RuntimeException {
        TooOldException(long maxAgeNanos) {
            super("waited longer than " + Duration.ofNanos(maxAgeNanos) + ", not sent", null, false, false);
        }
    }

    /** The relay's limits; only the call and the entries per call are required. */
    public static final class Builder<E, A> {
        private final Function<List<E>, CompletableFuture<List<A>>> call;
        private int entriesPerCall = 1;
        private int callsInFlight = Integer.MAX_VALUE;
        private int entriesInFlight = Integer.MAX_VALUE;
        private Duration gatherWait = Duration.ZERO;
        private Duration maxAge;
        private Scheduler scheduler;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(Function<List<E>, CompletableFuture<List<A>>> call) {
            this.call = call;
        }

        public Builder<E, A> entriesPerCall(int entries) {
            this.entriesPerCall = entries;
            return this;
        }

        /** Calls out at once at most, and requests in them at most; no limit when not set. */
        public Builder<E, A> inFlight(int calls, int entries) {
            this.callsInFlight = calls;
            this.entriesInFlight = entries;
            return this;
        }

        /** How long the oldest waiting request waits for others before a call that is not full goes. */
        public Builder<E, A> gatherWait(Duration wait) {
            this.gatherWait = wait;
            return this;
        }

        /** Requests older than this when their call would leave are not sent. */
        public Builder<E, A> maxAge(Duration age) {
            this.maxAge = age;
            return this;
        }

        /** Runs the gathering wait's timers. */
        public Builder<E, A> scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder<E, A> nanoClock(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
            return this;
        }

        public BatchedRelay<E, A> build() {
            if (entriesPerCall < 1 || callsInFlight < 1 || entriesInFlight < 1) {
                throw new IllegalArgumentException("batch size, calls and entries in flight must each be at least 1");
            }
            if (gatherWait.isNegative() || (maxAge != null && (maxAge.isNegative() || maxAge.isZero()))) {
                throw new IllegalArgumentException("the gathering wait must not be negative, the age limit must be positive");
            }
            if (scheduler == null && !gatherWait.isZero()) {
                throw new IllegalArgumentException("a gathering wait needs a scheduler");
            }
            return new BatchedRelay<>(this);
        }
    }
}
