package io.starconsole.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How PostgreSQL plans a broadcast's lease and result batches when its statistics predate the
 * broadcast, and once the table is analysed. On the console's schema (the functions' migrations, in
 * version order) in a fresh embedded PostgreSQL: 10,300 boxes, 300 finished single-box deliveries,
 * ANALYZE (what autovacuum does while the table is small), then one command to all the boxes with
 * half its deliveries leased. Prints {@code EXPLAIN ANALYZE} of a batch of 500 (the edge's batch
 * size) for the statement that picks each box's next delivery and the one that locks the deliveries a
 * result batch ends, before and after {@code ANALYZE command_deliveries}.
 *
 * <pre>
 * java -cp bench/target/bench.jar io.starconsole.bench.BroadcastPlanCheck
 * </pre>
 * ({@code --analyse-first false}: no ANALYZE before the broadcast, the never-analysed case.)
 */
public final class BroadcastPlanCheck {

    private static final int BOXES = 10_300;
    private static final int BATCH = 500;

    /** As {@code LeaseBatches} picks the heads of 500 boxes' queues. */
    private static final String LEASE_HEADS = "SELECT x.* FROM unnest(?::int[]) AS q(box_id) CROSS JOIN LATERAL ("
            + "SELECT d.id, d.box_id, d.command_id, c.type, c.priority, c.target_kind, c.target_value, c.contents,"
            + " b.vpnip, b.groupname FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
            + " JOIN spnclients b ON b.id = d.box_id WHERE d.box_id = q.box_id"
            + " AND (d.state = 'queued' OR (d.state = 'delivered' AND d.leased_until <= now()))"
            + " AND (c.not_before IS NULL OR c.not_before <= now()) AND (c.expires_at IS NULL OR c.expires_at > now())"
            + " ORDER BY c.priority DESC, c.id LIMIT 1 FOR UPDATE OF d) x";
    /** As {@code ResultBatches} locks the deliveries of 500 results. */
    private static final String RESULT_DELIVERIES = "SELECT d.id, d.box_id, d.command_id, d.state, c.type,"
            + " c.target_kind FROM command_deliveries d JOIN commands c ON c.id = d.command_id"
            + " JOIN unnest(?::int[], ?::bigint[]) AS r(box_id, command_id)"
            + " ON d.box_id = r.box_id AND d.command_id = r.command_id ORDER BY d.id FOR UPDATE OF d";

    private BroadcastPlanCheck() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        boolean analyseFirst = !args.text("analyse-first", "true").equals("false");
        Path migrations = Path.of(args.text("migrations", "functions/src/main/resources/db/migration"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             Connection db = pg.getPostgresDatabase().getConnection();
             Statement sql = db.createStatement()) {
            List<Path> files;
            try (Stream<Path> listed = Files.list(migrations)) {
                files = listed.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                        .sorted(Comparator.comparingInt(f -> Integer.parseInt(
                                f.getFileName().toString().substring(1, f.getFileName().toString().indexOf("__")))))
                        .toList();
            }
            for (Path file : files) {
                sql.execute(Files.readString(file));
            }
            sql.execute("INSERT INTO spnclients (realip, vpnip, publickey, edport, groupname, mac_addr, created_date)"
                    + " SELECT '10.0.' || (g / 250) || '.' || (g % 250), '0.0.0.' || g, 'key' || g, 1, 'bench', 'mac',"
                    + " now() FROM generate_series(1, " + BOXES + ") g");
            sql.execute("INSERT INTO commands (type, target_kind, target_value, created_by)"
                    + " SELECT 101, 'box', g::text, 'bench' FROM generate_series(1, 300) g");
            sql.execute("INSERT INTO command_deliveries (command_id, box_id, state)"
                    + " SELECT g, g, 'succeeded' FROM generate_series(1, 300) g");
            if (analyseFirst) {
                sql.execute("ANALYZE");
            }
            sql.execute("INSERT INTO commands (id, type, target_kind, target_value, created_by)"
                    + " VALUES (301, 101, 'group', 'bench', 'bench')");
            sql.execute("INSERT INTO command_deliveries (command_id, box_id) SELECT 301, id FROM spnclients ORDER BY id");
            sql.execute("UPDATE command_deliveries SET state = 'delivered', leased_until = now() + interval '30 s'"
                    + " WHERE command_id = 301 AND box_id <= " + BOXES / 2);
            System.out.println("BroadcastPlanCheck: " + BOXES + " boxes, a broadcast to all, half leased; batches of "
                    + BATCH + "; statistics " + (analyseFirst ? "from before the broadcast" : "never gathered"));
            explain(db, "before ANALYZE command_deliveries");
            sql.execute("ANALYZE command_deliveries");
            explain(db, "after ANALYZE command_deliveries");
        }
    }

    private static void explain(Connection db, String when) throws Exception {
        Integer[] queued = new Integer[BATCH];
        Integer[] leased = new Integer[BATCH];
        Long[] commands = new Long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            queued[i] = BOXES / 2 + 1 + i;
            leased[i] = BOXES / 2 - BATCH + 1 + i;
            commands[i] = 301L;
        }
        db.setAutoCommit(false);
        try {
            try (PreparedStatement heads = db.prepareStatement(explained(LEASE_HEADS))) {
                heads.setArray(1, db.createArrayOf("int4", queued));
                print("lease heads, " + when, heads);
            }
            try (PreparedStatement results = db.prepareStatement(explained(RESULT_DELIVERIES))) {
                results.setArray(1, db.createArrayOf("int4", leased));
                results.setArray(2, db.createArrayOf("int8", commands));
                print("result deliveries, " + when, results);
            }
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }

    private static String explained(String statement) {
        return "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + statement;
    }

    private static void print(String what, PreparedStatement explain) throws Exception {
        System.out.println("== " + what);
        try (ResultSet plan = explain.executeQuery()) {
            while (plan.next()) {
                System.out.println("  " + plan.getString(1));
            }
        }
    }
}
