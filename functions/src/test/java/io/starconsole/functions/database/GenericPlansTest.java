package io.starconsole.functions.database;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.command.DeliveryNotices;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generic plans hold for the transaction that asks for them, and not for the connection after it. */
@QuarkusTest
class GenericPlansTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Test
    void forThisTransaction_setsThePlanCacheMode_untilTheCommit() {
        List<String> modes = insideAndAfter(GenericPlans.FOR_THIS_TRANSACTION);

        assertThat(modes).containsExactly("force_generic_plan", "auto");
    }

    @Test
    void announcingAfterCommitWithGenericPlans_setsBoth_untilTheCommit() {
        List<String> settings = Transactions.run(pool, DeliveryNotices.ANNOUNCE_AFTER_COMMIT_WITH_GENERIC_PLANS,
                        db -> setting(db, "star_console.announce_after_commit")
                                .flatMap(announce -> setting(db, "plan_cache_mode").map(mode -> List.of(announce, mode))))
                .await().atMost(WAIT);

        assertThat(settings).containsExactly("on", "force_generic_plan");
    }

    @Test
    void aWriterThatOnlyAnnouncesAfterCommit_keepsPlansMadeForItsValues() {
        List<String> modes = insideAndAfter(DeliveryNotices.ANNOUNCE_AFTER_COMMIT);

        assertThat(modes).containsExactly("auto", "auto");
    }

    @Test
    void aSmallBatchsTransaction_keepsGenericPlans_aLargerOneKeepsPlansMadeForItsValues() {
        String small = GenericPlans.transactionForBatch(pool, GenericPlans.MAX_SMALL_BATCH,
                db -> setting(db, "plan_cache_mode")).await().atMost(WAIT);
        String large = GenericPlans.transactionForBatch(pool, GenericPlans.MAX_SMALL_BATCH + 1,
                db -> setting(db, "plan_cache_mode")).await().atMost(WAIT);

        assertThat(List.of(small, large)).containsExactly("force_generic_plan", "auto");
    }

    @Test
    void settingsThatFail_failTheTransaction_withTheirOwnError() {
        assertThatThrownBy(() -> Transactions.run(pool, "set_config('plan_cache_mode', 'no such mode', true)",
                        db -> setting(db, "plan_cache_mode")).await().atMost(WAIT))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("no such mode");
    }

    /** The plan cache mode in a transaction begun with {@code settings}, and on the same connection after its commit. */
    private List<String> insideAndAfter(String settings) {
        return pool.withConnection(conn -> Transactions.inTransaction(conn, Optional.of(settings), db -> setting(db, "plan_cache_mode"))
                        .flatMap(inside -> setting(conn, "plan_cache_mode").map(after -> List.of(inside, after))))
                .await().atMost(WAIT);
    }

    private static Uni<String> setting(SqlClient db, String name) {
        return db.preparedQuery("SELECT current_setting($1, true)").execute(io.vertx.mutiny.sqlclient.Tuple.of(name))
                .map(rows -> rows.iterator().next().getString(0));
    }
}
