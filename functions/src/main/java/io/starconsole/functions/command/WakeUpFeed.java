package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The edges' wake-up feed as a long poll: a request returns at once when boxes of the edge got new
 * deliveries committed after its cursor ({@link FeedCursor}), else it is held until the database
 * announces some for that edge (milliseconds after the enqueue commits) or the wait runs out. So
 * an edge makes about one call per enqueue burst, or one per {@code max-wait} when the fleet is
 * idle, and boxes hear of new work at once.
 */
@ApplicationScoped
public class WakeUpFeed {

    private final CommandQueue queue;
    private final DeliveryAnnouncements announcements;
    private final CommandConfig.Feed config;

    public WakeUpFeed(CommandQueue queue, DeliveryAnnouncements announcements, CommandConfig config) {
        this.queue = queue;
        this.announcements = announcements;
        this.config = config.feed();
    }

    /** Boxes of the edge with deliveries committed after {@code after}, waiting up to {@code wait} for some. */
    public Uni<CommandQueue.Pending> pending(String edgeId, FeedCursor after, Duration wait) {
        Duration capped = wait.compareTo(config.maxWait()) > 0 ? config.maxWait() : wait;
        return look(edgeId, after, System.nanoTime() + capped.toNanos());
    }

    private Uni<CommandQueue.Pending> look(String edgeId, FeedCursor after, long deadlineNanos) {
        DeliveryAnnouncements.Waiter waiter = announcements.register(edgeId);
        return queue.pending(edgeId, after)
                .onFailure().invoke(e -> announcements.unregister(waiter))
                .flatMap(found -> {
                    long leftNanos = deadlineNanos - System.nanoTime();
                    if (!found.boxes().isEmpty() || leftNanos <= 0) {
                        announcements.unregister(waiter);
                        return Uni.createFrom().item(found);
                    }
                    long sleepNanos = announcements.listening() ? leftNanos
                            : Math.min(leftNanos, config.pollInterval().toNanos());
                    return Uni.createFrom().completionStage(waiter.announced())
                            .ifNoItem().after(Duration.ofNanos(sleepNanos)).recoverWithItem((Void) null)
                            .flatMap(v -> {
                                announcements.unregister(waiter);
                                return look(edgeId, found.cursor(), deadlineNanos);
                            });
                });
    }
}
