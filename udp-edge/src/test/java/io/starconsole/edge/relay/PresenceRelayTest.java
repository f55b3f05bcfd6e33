package io.starconsole.edge.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.edge.jedi.FunctionsStandIn;
import io.starconsole.edge.relay.RelayModels.Heartbeat;
import io.starconsole.edge.relay.RelayModels.HeartbeatBatch;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(FunctionsStandIn.class)
class PresenceRelayTest {

    @Inject
    PresenceRelay relay;

    @Inject
    ObjectMapper json;

    @Test
    void batchWrittenInSteps_isTheSameJsonAsTheMapperWritesAtOnce() throws Exception {
        List<Heartbeat> heartbeats = new ArrayList<>();
        Instant at = Instant.parse("2026-11-26T10:11:12.123456789Z");
        // more than two steps, and times with 0, 3, 6 and 9 digits of fraction
        for (int i = 0; i < 2 * PresenceRelay.HEARTBEATS_PER_STEP + 7; i++) {
            heartbeats.add(new Heartbeat("box-" + i + "/+=\"\\", "10.0." + i / 256 + "." + i % 256, 1024 + i,
                    at.plusNanos(i % 4 == 0 ? 0 : i * 1_000_000L + (i % 3) * 1_000L + (i % 2))));
        }

        heartbeats.add(new Heartbeat("box-without-address", null, null, at));
        heartbeats.add(new Heartbeat("box-\u00e9\u2603", "::1", 65535, Instant.EPOCH));
        heartbeats.add(new Heartbeat("box-\n\t\u0001\u007f\ud83d\ude00", "fe80::1%eth0", 0, Instant.MAX));
        heartbeats.add(new Heartbeat("box-negative-port", "10.0.0.1", -1, Instant.MIN.plusNanos(1)));

        byte[] stepwise = relay.batchJson("edge-7", heartbeats);

        assertThat(new String(stepwise, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(json.writeValueAsString(new HeartbeatBatch("edge-7", heartbeats)));
        assertThat(json.readValue(stepwise, HeartbeatBatch.class).heartbeats()).isEqualTo(heartbeats);
    }

    @Test
    void emptyBatch_isAnEmptyList() throws Exception {
        assertThat(json.readValue(relay.batchJson("edge-7", List.of()), HeartbeatBatch.class).heartbeats()).isEmpty();
    }
}
