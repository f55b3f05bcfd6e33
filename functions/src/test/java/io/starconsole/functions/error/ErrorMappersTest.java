package io.starconsole.functions.error;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures answer 503 (the database, try again) and which 500 (a defect). */
class ErrorMappersTest {

    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void socketErrors_ofTheDatabaseConnection_are503() {
        assertThat(mappers.databaseUnreachable(new ConnectException("Connection refused")).getStatus()).isEqualTo(503);
        assertThat(mappers.databaseUnreachable(new IOException("Connection reset by peer")).getStatus()).isEqualTo(503);
        assertThat(mappers.databaseUnreachable(ClosedConnectionException.INSTANCE).getStatus()).isEqualTo(503);
    }

    @Test
    void statementsQueuedBehindABrokenConnection_are503() {
        VertxException queued = new VertxException("Pending requests failed to be sent due to connection has been closed.",
                new SocketException("Broken pipe"));

        assertThat(mappers.unexpected(queued).getStatus()).isEqualTo(503);
        assertThat(mappers.unexpected(new IllegalStateException("wrapped", ClosedConnectionException.INSTANCE))
                .getStatus()).isEqualTo(503);
    }

    @Test
    void otherFailures_are500() {
        assertThat(mappers.unexpected(new IllegalStateException("a defect")).getStatus()).isEqualTo(500);
        assertThat(mappers.unexpected(new VertxException("no socket involved")).getStatus()).isEqualTo(500);
    }
}
