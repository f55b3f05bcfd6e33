package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows for {@code box_events}, collected during one change and written in one batch. */
public final class BoxEvents {

    private final List<Tuple> rows = new ArrayList<>();

    public BoxEvents add(int boxId, String kind, String realIp, Integer realPort, String detail) {
        rows.add(Tuple.from(Arrays.asList(boxId, kind, realIp, realPort, detail)));
        return this;
    }

    public Uni<Void> writeTo(SqlClient db) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("INSERT INTO box_events (box_id, kind, realip, realport, detail)"
                        + " VALUES ($1, $2, $3, $4, $5)")
                .executeBatch(rows)
                .replaceWithVoid();
    }
}
