package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.database.GenericPlans;
import io.starconsole.functions.database.Transactions;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Announces an enqueue's new deliveries to the edges' feeds after its commit, not in it. A NOTIFY
 * in the writing transaction holds PostgreSQL's instance-wide notification lock across that
 * transaction's flush to disk, so every enqueue would commit after the one before it had reached
 * the disk (schema version 9 says more). The writer sets {@link #ANNOUNCE_AFTER_COMMIT} for its
 * transaction, which silences the deliveries' trigger, and {@link #announceQueued} once committed:
 * a transaction of its own that sends the NOTIFY without waiting for the disk, since what it
 * announces is already durable. One announcement is out at a time; the commands committed
 * meanwhile go together in the next, so under load the announcements cost a transaction per
 * announcement round, not per enqueue. A lost announcement (a crash between the two) costs a box
 * at most its next PONG, whose flag says it has work.
 */
@ApplicationScoped
public class DeliveryNotices {

    private static final Logger LOG = Logger.getLogger(DeliveryNotices.class);
    /**
     * For the writing transaction's settings ({@link Transactions#run(Pool, String, java.util.function.Function)}):
     * silences the deliveries' trigger, since the writer announces them itself after its commit.
     */
    public static final String ANNOUNCE_AFTER_COMMIT = "set_config('star_console.announce_after_commit', 'on', true)";

    /** {@link #ANNOUNCE_AFTER_COMMIT} for a transaction of few-row statements, which also keep their {@link GenericPlans}. */
    public static final String ANNOUNCE_AFTER_COMMIT_WITH_GENERIC_PLANS = ANNOUNCE_AFTER_COMMIT + ", "
            + GenericPlans.FOR_THIS_TRANSACTION;

    private final Pool pool;
    private final Object lock = new Object();
    /** Committed commands not announced yet; guarded by {@link #lock}. */
    private final Set<Long> waiting = new LinkedHashSet<>();
    /** Whether an announcement is out; guarded by {@link #lock}. */
    private boolean announcing;

    public DeliveryNotices(Pool pool) {
        this.pool = pool;
    }

    /**
     * After the commit: wakes the feeds of the edges whose boxes got queued deliveries of these
     * commands or of their P2P partners (which carry the first command's id as their operation).
     * Returns at once; the announcement follows, with those of commands committed meanwhile.
     */
    public void announceQueued(Collection<Long> commandIds) {
        synchronized (lock) {
            waiting.addAll(commandIds);
            if (announcing) {
                return;
            }
            announcing = true;
        }
        announceWaiting();
    }

    private void announceWaiting() {
        List<Long> commandIds;
        synchronized (lock) {
            if (waiting.isEmpty()) {
                announcing = false;
                return;
            }
            commandIds = new ArrayList<>(waiting);
            waiting.clear();
        }
        announce(commandIds).subscribe().with(v -> announceWaiting(), failure -> {
            LOG.warnf("could not announce commands %s to the edges (%s); their boxes hear of them at their next PONG",
                    commandIds, failure.getMessage());
            announceWaiting();
        });
    }

    /**
     * The announcement: one NOTIFY naming the edges of the boxes that got queued deliveries of the
     * commands {@code $2} (and of their P2P partners) on channel {@code $1}, sent without waiting for the
     * disk. Each command's deliveries are read through their (command, box) key and only then sorted by
     * state: with the state in the lookup the planner could scan a partial index of queued or open
     * deliveries instead, which it prices at nearly nothing since the statistics of a column that churns
     * this fast show no queued row at all. Under the queue bench, that scan of a bloated index, once a
     * command, kept one announcement running for more than 48 s, and its snapshot held back the
     * clean-up of every table, so every lease read more dead rows (bench/RESULTS.md, session 20).
     */
    static final String ANNOUNCEMENT = "SELECT set_config('synchronous_commit', 'off', true),"
            + " pg_notify($1, CASE WHEN length(edges) > 7000 THEN '' ELSE edges END)"
            + " FROM (SELECT string_agg(DISTINCT b.edge_id, ',') AS edges"
            + "   FROM (SELECT id FROM commands WHERE id = ANY($2)"
            + "     UNION SELECT id FROM commands WHERE operation_id = ANY($2)) c"
            + "   CROSS JOIN LATERAL (SELECT d.box_id, d.state FROM command_deliveries d"
            + "     WHERE d.command_id = c.id OFFSET 0) d"
            + "   JOIN spnclients b ON b.id = d.box_id WHERE d.state = 'queued' AND b.edge_id IS NOT NULL) e"
            + " WHERE edges IS NOT NULL";

    /**
     * Longest an announcement may run. One takes milliseconds, and a broadcast's to 10,000 boxes went
     * out uncancelled in the benches; a longer one is cancelled and logged rather than left to hold back
     * the database's clean-up, and its boxes hear of their work at their next PONG.
     */
    static final int TIMEOUT_MILLIS = 2_000;

    /**
     * The announcement's statement has arrays for parameters and many joins: planned afresh on
     * every call it cost more to plan than to run (0.63 against 0.15 ms), so it keeps its
     * {@link GenericPlans}, whose shape its lateral join fixes anyway.
     */
    private Uni<Void> announce(List<Long> commandIds) {
        return Transactions.run(pool, GenericPlans.FOR_THIS_TRANSACTION
                        + ", set_config('statement_timeout', '" + TIMEOUT_MILLIS + "', true)",
                db -> db.preparedQuery(ANNOUNCEMENT)
                .execute(Tuple.of(DeliveryAnnouncements.CHANNEL, commandIds.toArray(new Long[0])))
                .replaceWithVoid());
    }
}
