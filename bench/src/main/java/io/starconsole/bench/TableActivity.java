package io.starconsole.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-table counters of {@code pg_stat_user_tables} at one instant, to say which tables a window's rows
 * read and written were in (the database-wide {@link DatabaseActivity} does not).
 */
record TableActivity(Map<String, Counters> tables) {

    /** Rows read by sequential scans and fetched by index scans; rows inserted, updated (HOT among them). */
    record Counters(long seqRowsRead, long indexRowsFetched, long inserted, long updated, long hotUpdated) {

        Counters minus(Counters earlier) {
            return new Counters(seqRowsRead - earlier.seqRowsRead, indexRowsFetched - earlier.indexRowsFetched,
                    inserted - earlier.inserted, updated - earlier.updated, hotUpdated - earlier.hotUpdated);
        }

        long rowsTouched() {
            return seqRowsRead + indexRowsFetched + inserted + updated;
        }
    }

    static TableActivity read(Connection connection) throws SQLException {
        Map<String, Counters> tables = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT relname, coalesce(seq_tup_read, 0),"
                     + " coalesce(idx_tup_fetch, 0), n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables")) {
            while (rows.next()) {
                tables.put(rows.getString(1), new Counters(rows.getLong(2), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6)));
            }
        }
        return new TableActivity(tables);
    }

    /** The {@code limit} tables with the most rows touched since {@code earlier}, per second. */
    String busiestSince(TableActivity earlier, double seconds, int limit) {
        List<Map.Entry<String, Counters>> deltas = new ArrayList<>();
        tables.forEach((name, now) -> deltas.add(Map.entry(name,
                now.minus(earlier.tables.getOrDefault(name, new Counters(0, 0, 0, 0, 0))))));
        deltas.sort((a, b) -> Long.compare(b.getValue().rowsTouched(), a.getValue().rowsTouched()));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Counters> e : deltas.subList(0, Math.min(limit, deltas.size()))) {
            Counters c = e.getValue();
            if (c.rowsTouched() == 0) {
                break;
            }
            out.append(String.format(Locale.ROOT, "%s%s: seq read %.0f/s, index fetched %.0f/s, inserted %.0f/s,"
                            + " updated %.0f/s (HOT %.0f/s)", out.length() == 0 ? "" : "; ", e.getKey(),
                    c.seqRowsRead / seconds, c.indexRowsFetched / seconds, c.inserted / seconds, c.updated / seconds,
                    c.hotUpdated / seconds));
        }
        return out.toString();
    }
}
