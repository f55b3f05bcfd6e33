package io.starconsole.agent;

import io.starconsole.agent.link.LinkHub;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What boxes share: one receive thread ({@link LinkHub}) and a small scheduler for their timers and
 * commands. One box or ten thousand use the same few threads.
 */
public final class AgentRuntime implements AutoCloseable {

    private final LinkHub hub;
    private final ScheduledThreadPoolExecutor scheduler;

    public AgentRuntime(int schedulerThreads) throws IOException {
        AtomicInteger count = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(schedulerThreads, task -> {
            Thread thread = new Thread(task, "agent-scheduler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.hub = new LinkHub();
    }

    public LinkHub hub() {
        return hub;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public void close() throws IOException {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hub.close();
    }
}
