package io.starconsole.edge.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Gathers the requests of one kind that wait at a moment into one call to the functions: while
 * calls are out, new requests wait (in arrival order); when one comes back, those waiting go in the
 * next. A lone request goes at once, alone. At most {@code maxCalls} calls are out and at most
 * {@code maxEntriesOut} requests in them; each request's future completes with its own entry of the
 * answer (the call answers one entry per request, in order), or fails with the call.
 *
 * @param <E> one request
 * @param <A> its answer
 */
public final class BatchedRelay<E, A> {

    private final Function<List<E>, CompletableFuture<List<A>>> call;
    private final int maxEntriesPerCall;
    private final int maxCalls;
    private final int maxEntriesOut;
    private final ArrayDeque<Waiting<E, A>> waiting = new ArrayDeque<>();
    private int callsOut;
    private int entriesOut;

    private record Waiting<E, A>(E entry, CompletableFuture<A> answer) {
    }

    public BatchedRelay(Function<List<E>, CompletableFuture<List<A>>> call, int maxEntriesPerCall, int maxCalls,
                        int maxEntriesOut) {
        if (maxEntriesPerCall < 1 || maxCalls < 1 || maxEntriesOut < 1) {
            throw new IllegalArgumentException("batch size, calls and entries out must each be at least 1");
        }
        this.call = call;
        this.maxEntriesPerCall = maxEntriesPerCall;
        this.maxCalls = maxCalls;
        this.maxEntriesOut = maxEntriesOut;
    }

    public CompletableFuture<A> submit(E entry) {
        CompletableFuture<A> answer = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(new Waiting<>(entry, answer));
        }
        sendWaiting();
        return answer;
    }

    /** Requests not yet sent. */
    public synchronized int waiting() {
        return waiting.size();
    }

    private void sendWaiting() {
        while (true) {
            List<Waiting<E, A>> batch;
            synchronized (this) {
                int room = Math.min(maxEntriesPerCall, maxEntriesOut - entriesOut);
                if (waiting.isEmpty() || callsOut >= maxCalls || room < 1) {
                    return;
                }
                batch = new ArrayList<>(Math.min(room, waiting.size()));
                while (batch.size() < room && !waiting.isEmpty()) {
                    batch.add(waiting.poll());
                }
                callsOut++;
                entriesOut += batch.size();
            }
            send(batch);
        }
    }

    private void send(List<Waiting<E, A>> batch) {
        CompletableFuture<List<A>> sent;
        try {
            sent = call.apply(batch.stream().map(Waiting::entry).toList());
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
            sendWaiting();
        });
    }
}
