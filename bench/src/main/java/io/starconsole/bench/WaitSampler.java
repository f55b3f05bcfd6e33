package io.starconsole.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What PostgreSQL's client backends are doing, sampled from {@code pg_stat_activity} every
 * {@code periodMillis} on a connection of its own: per sample, each active backend counts once under
 * its wait event ("CPU" when it waits on nothing), so lock waits (e.g. batches queued behind one
 * row or tuple lock) show beside I/O (the commit's WAL flush) and work. {@link #byStatement} also
 * names the statement (its first characters), to find which one the backends are busy with.
 */
final class WaitSampler implements AutoCloseable {

    private final Connection connection;
    private final long periodMillis;
    private final String what;
    private final Map<String, Long> counts = new TreeMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long samples;

    WaitSampler(Connection connection, long periodMillis) {
        this(connection, periodMillis, "coalesce(wait_event_type || ':' || wait_event, 'CPU')");
    }

    private WaitSampler(Connection connection, long periodMillis, String what) {
        this.connection = connection;
        this.periodMillis = periodMillis;
        this.what = what;
        this.thread = new Thread(this::run, "pg-wait-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Samples grouped by wait event and statement (its first 100 characters, white space folded). */
    static WaitSampler byStatement(Connection connection, long periodMillis) {
        return new WaitSampler(connection, periodMillis, "coalesce(wait_event_type || ':' || wait_event, 'CPU')"
                + " || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 100)");
    }

    private void run() {
        String query = "SELECT " + what + ", count(*) FROM pg_stat_activity"
                + " WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1";
        while (running.get()) {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
                synchronized (counts) {
                    samples++;
                    while (rows.next()) {
                        counts.merge(rows.getString(1), rows.getLong(2), Long::sum);
                    }
                }
                Thread.sleep(periodMillis);
            } catch (SQLException e) {
                return; // the database went away: the samples so far stand
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Average active backends per wait event over the samples, busiest first. */
    String summary() {
        synchronized (counts) {
            StringBuilder out = new StringBuilder(samples + " samples, active backends on average:");
            counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(12)
                    .forEach(e -> out.append(String.format(java.util.Locale.ROOT, " %s %.2f;", e.getKey(),
                            e.getValue() / (double) Math.max(1, samples))));
            return out.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
