package io.starconsole.edge.relay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchedRelayTest {

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

    @Test
    void loneRequest_goesAtOnce_andThoseWaitingMeanwhile_goTogetherInOrder() throws Exception {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = new BatchedRelay<>(calls::call, 10, 1, 100);
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
        BatchedRelay<String, String> relay = new BatchedRelay<>(calls::call, 3, 2, 4);
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
    void failedCall_failsEachOfItsRequests_andTheNextCallStillGoes() {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = new BatchedRelay<>(calls::call, 10, 1, 100);
        CompletableFuture<String> first = relay.submit("a");
        CompletableFuture<String> waiting = relay.submit("b");
        calls.answers.get(0).completeExceptionally(new java.io.IOException("connection refused"));
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(java.io.IOException.class);
        assertThat(calls.sent).hasSize(2);
        calls.answer(1);
        assertThat(waiting).isCompletedWithValue("answer to b");
    }

    @Test
    void answerWithTheWrongNumberOfEntries_failsTheCallsRequests() {
        Calls calls = new Calls();
        BatchedRelay<String, String> relay = new BatchedRelay<>(calls::call, 10, 1, 100);
        CompletableFuture<String> first = relay.submit("a");
        calls.answers.get(0).complete(List.of("x", "y"));
        assertThatThrownBy(first::get).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 entries for 1");
    }

    @Test
    void limitsBelowOne_areRefused() {
        assertThatThrownBy(() -> new BatchedRelay<String, String>(entries -> null, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
