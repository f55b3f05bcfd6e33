package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Rows for {@code box_events}, collected during one change (or one batch) and written in one statement. */
public final class BoxEvents {

    private final List<Integer> boxIds = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();
    private final List<String> realIps = new ArrayList<>();
    private final List<Integer> realPorts = new ArrayList<>();
    private final List<String> details = new ArrayList<>();

    public BoxEvents add(int boxId, String kind, String realIp, Integer realPort, String detail) {
        boxIds.add(boxId);
        kinds.add(kind);
        realIps.add(realIp);
        realPorts.add(realPort);
        details.add(detail);
        return this;
    }

    public Uni<Void> writeTo(SqlClient db) {
        if (boxIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One statement for any number of rows (executeBatch would run one INSERT per row).
        return db.preparedQuery("INSERT INTO box_events (box_id, kind, realip, realport, detail)"
                        + " SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[])")
                .execute(Tuple.of(boxIds.toArray(Integer[]::new), kinds.toArray(String[]::new),
                        realIps.toArray(String[]::new), realPorts.toArray(Integer[]::new), details.toArray(String[]::new)))
                .replaceWithVoid();
    }
}
