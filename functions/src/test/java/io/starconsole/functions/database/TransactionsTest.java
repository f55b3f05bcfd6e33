package io.starconsole.functions.database;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.StderrCapture;
import io.smallrye.mutiny.unchecked.Unchecked;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.TransactionRollbackException;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A transaction begun together with its first statement keeps the pool's transaction semantics. */
@QuarkusTest
class TransactionsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String reactiveUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @BeforeEach
    void scratchTable() {
        pool.query("CREATE TABLE IF NOT EXISTS transactions_test_rows (id bigint PRIMARY KEY)").execute()
                .await().atMost(WAIT);
    }

    @Test
    void run_theFirstStatement_isInsideTheTransaction() {
        // A transaction-local setting made by the first statement is seen by the second only in one transaction.
        String seen = Transactions.run(pool, db -> db.query("SELECT set_config('star_console.test', 'inside', true)").execute()
                        .flatMap(set -> db.query("SELECT current_setting('star_console.test', true)").execute())
                        .map(rows -> rows.iterator().next().getString(0)))
                .await().atMost(WAIT);

        assertThat(seen).isEqualTo("inside");
    }

    @Test
    void run_commitsTheWork_andAnswersItsResult() {
        long id = NEXT_ID.getAndIncrement();

        String answer = Transactions.run(pool, db -> insert(db, id).replaceWith("done")).await().atMost(WAIT);

        assertThat(answer).isEqualTo("done");
        assertThat(exists(id)).isTrue();
    }

    @Test
    void run_workThatFails_rollsBack_andPassesItsFailureOn() {
        long id = NEXT_ID.getAndIncrement();
        IllegalStateException refused = new IllegalStateException("refused after the insert");

        assertThatThrownBy(() -> Transactions.run(pool, db -> insert(db, id)
                        .flatMap(v -> Uni.createFrom().<Void>failure(refused))).await().atMost(WAIT))
                .isSameAs(refused);
        assertThat(exists(id)).isFalse();
    }

    @Test
    void run_aStatementThatFailed_rollsBackEvenWhenTheWorkRecovered() {
        long id = NEXT_ID.getAndIncrement();

        assertThatThrownBy(() -> Transactions.run(pool, db -> insert(db, id)
                        .flatMap(v -> db.query("SELECT 1 / 0").execute())
                        .onFailure(PgException.class).recoverWithNull()).await().atMost(WAIT))
                .isInstanceOf(TransactionRollbackException.class);
        assertThat(exists(id)).isFalse();
    }

    @Test
    void run_workWithoutStatements_stillCommits_andTheConnectionIsReusable() {
        List<Integer> answers = List.of(1, 2, 3).stream()
                .map(n -> Transactions.run(pool, db -> Uni.createFrom().item(n)).await().atMost(WAIT))
                .toList();
        long id = NEXT_ID.getAndIncrement();
        Transactions.run(pool, db -> insert(db, id)).await().atMost(WAIT);

        assertThat(answers).containsExactly(1, 2, 3);
        assertThat(exists(id)).isTrue();
    }

    /**
     * A connection lost under a transaction fails the work, and Vert.x's fallback for a connection
     * without an exception handler (printing the stack trace to stderr) stays unused: the caller
     * reports the failure once, as the API's 503 or a warning.
     */
    @Test
    void run_connectionResetUnderTheWork_failsTheWork_andPrintsNoStackTrace() throws Exception {
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        String printed;
        try (ResettingProxy proxy = new ResettingProxy(options.getHost(), options.getPort())) {
            Pool viaProxy = Pool.newInstance(PgBuilder.pool()
                    .connectingTo(options.setHost("127.0.0.1").setPort(proxy.port()))
                    .with(new PoolOptions().setMaxSize(1)).using(vertx).build());
            try (StderrCapture stderr = StderrCapture.start()) {
                // The reset lands between two statements, so the second one's write meets it.
                CompletableFuture<Void> done = Transactions.run(viaProxy, db -> db.query("SELECT 1").execute()
                        .invoke(Unchecked.consumer(answered -> proxy.resetAll()))
                        .flatMap(reset -> db.query("SELECT 2").execute()).replaceWithVoid()).subscribeAsCompletionStage();

                assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IOException.class);
                Thread.sleep(300); // room for a handler the event loop runs after the work's failure
                printed = stderr.printed();
            } finally {
                viaProxy.closeAndAwait();
            }
        }
        assertThat(printed).doesNotContain("\tat ");
    }

    private static Uni<Void> insert(SqlClient db, long id) {
        return db.preparedQuery("INSERT INTO transactions_test_rows (id) VALUES ($1)").execute(Tuple.of(id)).replaceWithVoid();
    }

    private boolean exists(long id) {
        return pool.preparedQuery("SELECT count(*) FROM transactions_test_rows WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getLong(0) == 1).await().atMost(WAIT);
    }
}
