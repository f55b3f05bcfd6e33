package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;

/**
 * Announces an enqueue's new deliveries to the edges' feeds after its commit, not in it. A NOTIFY
 * in the writing transaction holds PostgreSQL's instance-wide notification lock across that
 * transaction's flush to disk, so every enqueue would commit after the one before it had reached
 * the disk (schema version 9 says more). The writer calls {@link #announceAfterCommit} in its
 * transaction, which silences the deliveries' trigger, and {@link #announceQueued} once committed:
 * a transaction of its own that sends the NOTIFY without waiting for the disk, since what it
 * announces is already durable. A lost announcement (a crash between the two) costs a box at
 * most its next PONG, whose flag says it has work.
 */
@ApplicationScoped
public class DeliveryNotices {

    private static final Logger LOG = Logger.getLogger(DeliveryNotices.class);

    private final Pool pool;

    public DeliveryNotices(Pool pool) {
        this.pool = pool;
    }

    /** In the writing transaction, before its deliveries are inserted: it will announce them itself. */
    public static Uni<Void> announceAfterCommit(SqlClient db) {
        return db.query("SELECT set_config('star_console.announce_after_commit', 'on', true)").execute().replaceWithVoid();
    }

    /**
     * After the commit: wakes the feeds of the edges whose boxes got queued deliveries of these
     * commands or of their P2P partners (which carry the first command's id as their operation).
     */
    public Uni<Void> announceQueued(Collection<Long> commandIds) {
        return pool.preparedQuery("SELECT set_config('synchronous_commit', 'off', true),"
                        + " pg_notify($1, CASE WHEN length(edges) > 7000 THEN '' ELSE edges END)"
                        + " FROM (SELECT string_agg(DISTINCT b.edge_id, ',') AS edges FROM command_deliveries d"
                        + "   JOIN spnclients b ON b.id = d.box_id"
                        + "   WHERE d.command_id IN (SELECT id FROM commands WHERE id = ANY($2)"
                        + "     UNION SELECT id FROM commands WHERE operation_id = ANY($2))"
                        + "   AND d.state = 'queued' AND b.edge_id IS NOT NULL) e"
                        + " WHERE edges IS NOT NULL")
                .execute(Tuple.of(DeliveryAnnouncements.CHANNEL, commandIds.toArray(new Long[0])))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("could not announce commands %s to the edges (%s); their boxes hear of them at their next PONG",
                            commandIds, e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }
}
