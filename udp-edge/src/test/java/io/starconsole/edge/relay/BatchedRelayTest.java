package io.starconsole.edge.relay;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchedRelayTest {

    private static final Duration WAIT = Duration.ofMillis(5);

    /** A functions stand-in whose calls the test answers by hand. */
    private static final class Calls {
        final List<List<String>> sent = new ArrayList<>();
        final List<CompletableFuture<List<String>>> answers = new ArrayList<>();

        CompletableFuture<List<String>> call(List<String> entries) {
            sent.add(entries);
            CompletableFuture<List<String>> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        void answer(int call) {
            answers.get(call).complete(sent.get(call).stream().map(entry -> "answer to " + entry).toList());
        }
    }

    /** A clock and timers the test moves by hand: no test here waits for real time. */
    private static final class HandClock implements BatchedRelay.Scheduler {
        long nanos = 1_000_000_000L;
        final List<long[]> dueAt = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void schedule(long delayNanos, Runnable task) {
            dueAt.add(new long[]{nanos + delayNanos});
            tasks.add(task);
        }

        /** Moves the clock on and runs the timers that have come due, in order. */
        void advance(Duration by) {
            nanos += by.toNanos();
            for (int i = 0; i < tasks.size(); i++) {
                if (dueAt.get(i)[0] <= nanos) {
                    Runnable task = tasks.remove(i);
                    dueAt.remove(i);
                    i--;
                    task.run();
                }
            }
        }
    }

    private static BatchedRelay.Builder<String, String> relay(Calls calls, HandClock clock) {
        return BatchedRelay.calling(calls::call).scheduler(clock).nanoClock(() -> clock.nanos);
    }

    @Test
    void loneRequest_goesAtOnce_andThoseWaitingMeanwhile_goTogetherInOrder() throws Exception {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = BatchedRelay.calling(calls::call).entriesPerCall(10).inFlight(1, 100).build();
        CompletableFuture<String> first = relay.submit("a");
        CompletableFuture<String> second = relay.submit("b");
        CompletableFuture<String> third = relay.submit("c");
        assertThat(calls.sent).containsExactly(List.of("a"));
        assertThat(relay.waiting()).isEqualTo(2);

        calls.answer(0);
        assertThat(first.get()).isEqualTo("answer to a");
        assertThat(calls.sent).containsExactly(List.of("a"), List.of("b", "c"));
        calls.answer(1);
        assertThat(second.get()).isEqualTo("answer to b");
        assertThat(third.get()).isEqualTo("answer to c");
        assertThat(relay.waiting()).isZero();
    }

    @Test
    void batches_keepToTheirSize_toTheCallsAllowedOut_andToTheEntriesAllowedOut() {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = BatchedRelay.calling(calls::call).entriesPerCall(3).inFlight(2, 4).build();
        for (String entry : List.of("a", "b", "c", "d", "e", "f", "g")) {
            relay.submit(entry);
        }
        assertThat(calls.sent).as("two calls out at most").containsExactly(List.of("a"), List.of("b"));
        calls.answer(0);
        assertThat(calls.sent.get(2)).as("three per call at most").containsExactly("c", "d", "e");
        calls.answer(1);
        assertThat(calls.sent.get(3)).as("four entries out at most").containsExactly("f");
        calls.answer(2);
        assertThat(calls.sent.get(4)).containsExactly("g");
        assertThat(relay.waiting()).isZero();
    }

    @Test
    void withAGatheringWait_requestsWait_untilTheOldestHasWaitedIt_thenGoInOneCall() {
        Calls calls = new Calls();
        HandClock clock = new HandClock();
        BatchedRelay<String, String> relay = relay(calls, clock).entriesPerCall(10).gatherWait(WAIT).build();
        relay.submit("a");
        clock.advance(Duration.ofMillis(2));
        relay.submit("b");
        relay.submit("c");
        assertThat(calls.sent).as("nothing before the wait is over").isEmpty();

        clock.advance(Duration.ofMillis(2));
        assertThat(calls.sent).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(calls.sent).containsExactly(List.of("a", "b", "c"));
        assertThat(relay.waiting()).isZero();
    }

    @Test
    void withAGatheringWait_aFullBatchGoesAtOnce_andTheRestWaitFromTheirOwnArrival() {
        Calls calls = new Calls();
        HandClock clock = new HandClock();
        BatchedRelay<String, String> relay = relay(calls, clock).entriesPerCall(3).gatherWait(WAIT).build();
        relay.submit("a");
        relay.submit("b");
        clock.advance(Duration.ofMillis(3));
        relay.submit("c");
        assertThat(calls.sent).as("full: no wait").containsExactly(List.of("a", "b", "c"));
        relay.submit("d");

        clock.advance(Duration.ofMillis(2));
        assertThat(calls.sent).as("d has waited 2 ms of its 5").hasSize(1);
        clock.advance(Duration.ofMillis(3));
        assertThat(calls.sent).containsExactly(List.of("a", "b", "c"), List.of("d"));
    }

    @Test
    void withAGatheringWaitAndACallLimit_dueRequestsWaitForACall_thenGoWithoutAnotherWait() {
        Calls calls = new Calls();
        HandClock clock = new HandClock();
        BatchedRelay<String, String> relay = relay(calls, clock).entriesPerCall(10).gatherWait(WAIT)
                .inFlight(1, 100).build();
        relay.submit("a");
        clock.advance(WAIT);
        relay.submit("b");
        relay.submit("c");
        clock.advance(WAIT);
        assertThat(calls.sent).as("one call out at most").containsExactly(List.of("a"));

        calls.answer(0);
        assertThat(calls.sent).as("b waited long enough already").containsExactly(List.of("a"), List.of("b", "c"));
    }

    @Test
    void failedCall_failsExactlyItsOwnRequests() {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = BatchedRelay.calling(calls::call).entriesPerCall(10).inFlight(2, 100).build();
        CompletableFuture<String> a = relay.submit("a");
        CompletableFuture<String> b = relay.submit("b");
        CompletableFuture<String> c = relay.submit("c");
        CompletableFuture<String> d = relay.submit("d");
        assertThat(calls.sent).containsExactly(List.of("a"), List.of("b"));
        calls.answer(0);
        assertThat(calls.sent.get(2)).containsExactly("c", "d");

        calls.answers.get(2).completeExceptionally(new IOException("connection refused"));
        calls.answer(1);
        assertThat(a).isCompletedWithValue("answer to a");
        assertThat(b).isCompletedWithValue("answer to b");
        assertThatThrownBy(c::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(d::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void failedCall_andTheNextCallStillGoes() {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = BatchedRelay.calling(calls::call).entriesPerCall(10).inFlight(1, 100).build();
        CompletableFuture<String> first = relay.submit("a");
        CompletableFuture<String> waiting = relay.submit("b");
        calls.answers.get(0).completeExceptionally(new IOException("connection refused"));
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        assertThat(calls.sent).hasSize(2);
        calls.answer(1);
        assertThat(waiting).isCompletedWithValue("answer to b");
    }

    @Test
    void requestOlderThanTheAgeLimit_isNotSent_andTheFreshOnesGo() {
        Calls calls = new Calls();
        HandClock clock = new HandClock();
        BatchedRelay<String, String> relay = relay(calls, clock).entriesPerCall(10).inFlight(1, 100)
                .maxAge(Duration.ofSeconds(4)).build();
        relay.submit("out");
        CompletableFuture<String> old = relay.submit("old", clock.nanos - Duration.ofSeconds(3).toNanos());
        clock.advance(Duration.ofMillis(1_500));
        CompletableFuture<String> fresh = relay.submit("fresh");

        calls.answer(0);
        assertThatThrownBy(old::get).hasCauseInstanceOf(BatchedRelay.TooOldException.class);
        assertThat(calls.sent).containsExactly(List.of("out"), List.of("fresh"));
        calls.answer(1);
        assertThat(fresh).isCompletedWithValue("answer to fresh");
    }

    @Test
    void whenEveryWaitingRequestIsTooOld_noCallGoes() {
        Calls calls = new Calls();
        HandClock clock = new HandClock();
        BatchedRelay<String, String> relay = relay(calls, clock).entriesPerCall(10).maxAge(Duration.ofSeconds(4)).build();
        CompletableFuture<String> old = relay.submit("old", clock.nanos - Duration.ofSeconds(5).toNanos());
        assertThatThrownBy(old::get).hasCauseInstanceOf(BatchedRelay.TooOldException.class);
        assertThat(calls.sent).isEmpty();
        assertThat(relay.waiting()).isZero();
    }

    @Test
    void callThatThrows_failsItsRequests() {
        BatchedRelay<String, String> relay = BatchedRelay.<String, String>calling(entries -> {
            throw new IllegalStateException("no client");
        }).entriesPerCall(10).build();
        assertThatThrownBy(relay.submit("a")::get).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(relay.waiting()).isZero();
    }

    @Test
    void answerWithTheWrongNumberOfEntries_failsTheCallsRequests() {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = BatchedRelay.calling(calls::call).entriesPerCall(10).inFlight(1, 100).build();
        CompletableFuture<String> first = relay.submit("a");
        calls.answers.get(0).complete(List.of("x", "y"));
        assertThatThrownBy(first::get).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 entries for 1");
    }

    @Test
    void limitsBelowOne_orAWaitWithoutTimers_areRefused() {
        assertThatThrownBy(() -> BatchedRelay.<String, String>calling(entries -> null).entriesPerCall(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchedRelay.<String, String>calling(entries -> null).inFlight(0, 1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchedRelay.<String, String>calling(entries -> null).gatherWait(WAIT).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheduler");
        assertThatThrownBy(() -> BatchedRelay.<String, String>calling(entries -> null).scheduler((d, t) -> { })
                .gatherWait(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
