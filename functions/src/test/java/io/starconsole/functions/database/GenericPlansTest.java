package io.starconsole.functions.database;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.command.DeliveryNotices;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Generic plans hold for the transaction that asks for them, and not for the connection after it. */
@QuarkusTest
class GenericPlansTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Test
    void forThisTransaction_setsThePlanCacheMode_untilTheCommit() {
        List<String> modes = insideAndAfter(GenericPlans::forThisTransaction);

        assertThat(modes).containsExactly("force_generic_plan", "auto");
    }

    @Test
    void announcingAfterCommitWithGenericPlans_setsBoth_inOneStatement_untilTheCommit() {
        List<String> settings = pool.withConnection(conn -> inTransaction(conn, DeliveryNotices::announceAfterCommitWithGenericPlans,
                        c -> setting(c, "star_console.announce_after_commit")
                                .flatMap(announce -> setting(c, "plan_cache_mode").map(mode -> List.of(announce, mode)))))
                .await().atMost(WAIT);

        assertThat(settings).containsExactly("on", "force_generic_plan");
    }

    @Test
    void aWriterThatOnlyAnnouncesAfterCommit_keepsPlansMadeForItsValues() {
        List<String> modes = insideAndAfter(DeliveryNotices::announceAfterCommit);

        assertThat(modes).containsExactly("auto", "auto");
    }

    /** The plan cache mode in a transaction begun by {@code start}, and on the same connection after its commit. */
    private List<String> insideAndAfter(Function<SqlClient, Uni<Void>> start) {
        return pool.withConnection(conn -> inTransaction(conn, start, c -> setting(c, "plan_cache_mode"))
                        .flatMap(inside -> setting(conn, "plan_cache_mode").map(after -> List.of(inside, after))))
                .await().atMost(WAIT);
    }

    private static <T> Uni<T> inTransaction(SqlConnection conn, Function<SqlClient, Uni<Void>> start,
                                            Function<SqlClient, Uni<T>> read) {
        return conn.query("BEGIN").execute()
                .flatMap(v -> start.apply(conn))
                .flatMap(v -> read.apply(conn))
                .flatMap(value -> conn.query("COMMIT").execute().replaceWith(value));
    }

    private static Uni<String> setting(SqlClient db, String name) {
        return db.preparedQuery("SELECT current_setting($1, true)").execute(io.vertx.mutiny.sqlclient.Tuple.of(name))
                .map(rows -> rows.iterator().next().getString(0));
    }
}
