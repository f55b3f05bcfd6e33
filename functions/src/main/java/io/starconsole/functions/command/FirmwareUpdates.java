package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.time.OffsetDateTime;

/**
 * What the queue asks the OTA side (package {@code ota}) about UPDATE_FIRMWARE (112): the queue knows
 * nothing of releases, keys or rollouts. Every call runs inside the queue's transaction.
 */
public interface FirmwareUpdates {

    /** At enqueue: the release exists and is published, else an {@code ApiException}. */
    Uni<Void> checkRelease(SqlClient db, long releaseId);

    /**
     * At lease: the contents the box receives (release key and download base included), or null when
     * the release can no longer be delivered (withdrawn); then {@link #refusal()} is the delivery's result.
     */
    Uni<String> expand(SqlClient db, long deliveryId, int boxId, String storedContents, OffsetDateTime now);

    /** The result message of a delivery that {@link #expand} refused. */
    String refusal();

    /** After the box's result of a 112 delivery: {@code succeeded}, {@code failed} or {@code rolled_back}. */
    Uni<Void> resultReported(SqlClient db, long deliveryId, String state, String message);
}
