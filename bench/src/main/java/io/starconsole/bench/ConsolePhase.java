package io.starconsole.bench;

import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.AskUserCmd;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import io.starconsole.protocol.message.WakeUp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our design under a {@link ComparisonLoad}, for {@link SeedComparisonBench}: registered {@link BoxFleet}
 * boxes PING the real edge (answered from memory; the edge relays presence to the functions in batches);
 * commands are enqueued through the public API ({@code POST /api/v1/commands}, one box each) and reach
 * their box by the wake-up (NOTIFY, the functions' long poll, the edge's WAKE_UP or a PONG's "commands
 * pending" flag). A woken box asks (ASK_USER_CMD), takes the answer's command and reports success
 * (COMMAND_RESULT), asking again while the answer says more are pending; it never asks unprompted.
 */
final class ConsolePhase {

    private final ComparisonLoad load;
    private final BoxFleet fleet;
    private final List<BoxFleet.Box> boxes;
    private final Api api;
    private final MeasuredWindow window;
    /** An ASK_USER_CMD unanswered this long is taken as lost: the box may ask again. */
    private static final long ASK_TIMEOUT_NANOS = 2_000_000_000L;

    /**
     * When each box sent its ASK_USER_CMD still unanswered: a box asks one at a time, as the agent does.
     */
    private final Map<Integer, Long> askedAt = new ConcurrentHashMap<>();
    /**
     * Boxes told of work while their ASK was outstanding: they ask again after the answer, which may
     * have been made before the new work was queued (as the agent does).
     */
    private final Set<Integer> askAgain = ConcurrentHashMap.newKeySet();
    private final AtomicLong sendFailures = new AtomicLong();

    /** {@code boxes}: the fleet's boxes with a session, one per box of the load. */
    ConsolePhase(ComparisonLoad load, BoxFleet fleet, List<BoxFleet.Box> boxes, Api api, MeasuredWindow window) {
        if (boxes.size() != load.boxes()) {
            throw new IllegalArgumentException("the load is for " + load.boxes() + " boxes, got " + boxes.size());
        }
        this.load = load;
        this.fleet = fleet;
        this.boxes = boxes;
        this.api = api;
        this.window = window;
    }

    PhaseFigures run() throws Exception {
        RateSchedule pingSchedule = new RateSchedule(System.nanoTime() + 50_000_000L, load.pingsPerSecond());
        long windowStart = pingSchedule.dueNanos(load.firstMeasuredPing());
        PingClock pings = new PingClock(pingSchedule, load.firstMeasuredPing(), load.endMeasuredPing());
        CommandClock commands = new CommandClock(new RateSchedule(windowStart, load.commandsPerSecond()),
                load.commands());
        fleet.listener((box, message, at) -> onMessage(box, message, at, pings, commands));

        Thread pinger = new Thread(() -> {
            try {
                for (long s = 0; s < load.pings(); s++) {
                    RateSchedule.parkUntil(pingSchedule.dueNanos(s));
                    send(boxes.get(load.boxOf(s)), new Ping(s));
                }
            } catch (RuntimeException e) {
                sendFailures.incrementAndGet();
            }
        }, "console-pinger");
        pinger.start();

        MeasuredWindow.Measured measured = window.measure(windowStart, pingSchedule.dueNanos(load.endMeasuredPing()),
                () -> enqueueAll(commands));
        pinger.join();
        Thread.sleep(1500); // the last answers
        fleet.listener((box, message, at) -> { });
        System.out.println("  ours: PING/ASK/RESULT send failures " + sendFailures.get());
        return new PhaseFigures("ours", measured, pings.report("ours: PING"), commands.latency(), commands.commands(),
                commands.enqueueFailures(), commands.undelivered());
    }

    private void enqueueAll(CommandClock commands) throws Exception {
        Random random = new Random(42);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < commands.commands(); i++) {
            RateSchedule.awaitNanos(commands.dueNanos(i));
            Map<String, Object> body = new HashMap<>();
            body.put("type", "CHANGE_SPNBOX_NAME");
            body.put("target", Map.of("box", boxes.get(random.nextInt(boxes.size())).keys.publicKey().toBase64()));
            body.put("arguments", "bench-" + i);
            body.put("priority", "normal");
            int index = i;
            pending.add(api.postAsync("/api/v1/commands", body).handle((r, e) -> {
                try {
                    if (e == null && r.status() == 201) {
                        commands.enqueued(index, r.json().get("id").asLong());
                    } else {
                        commands.enqueueFailed(index);
                    }
                } catch (IOException | RuntimeException parse) {
                    commands.enqueueFailed(index);
                }
                return null;
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    private void onMessage(BoxFleet.Box box, Message message, long at, PingClock pings, CommandClock commands) {
        if (message instanceof Pong pong) {
            pings.answered(pong.sequence(), at);
            if (pong.commandsPending()) {
                ask(box);
            }
        } else if (message instanceof WakeUp) {
            ask(box);
        } else if (message instanceof AnsUserCmd answer) {
            askedAt.remove(box.number);
            boolean toldOfWorkMeanwhile = askAgain.remove(box.number);
            if (answer.command().isPresent()) {
                long id = answer.command().get().id();
                commands.received(id, at);
                send(box, new CommandResult(id, true, "renamed"));
            }
            if (answer.morePending() || toldOfWorkMeanwhile) {
                ask(box);
            }
        }
    }

    private void ask(BoxFleet.Box box) {
        long now = System.nanoTime();
        Long previous = askedAt.putIfAbsent(box.number, now);
        if (previous == null || (now - previous > ASK_TIMEOUT_NANOS && askedAt.replace(box.number, previous, now))) {
            send(box, new AskUserCmd());
        } else {
            askAgain.add(box.number);
        }
    }

    private void send(BoxFleet.Box box, Message message) {
        try {
            if (!fleet.send(box, message)) {
                sendFailures.incrementAndGet();
            }
        } catch (IOException e) {
            sendFailures.incrementAndGet();
        }
    }
}
