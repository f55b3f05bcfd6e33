package io.starconsole.edge.jedi;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.edge.transport.EdgeLoop;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.OkNewIp;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** HELLOs that arrive together reach the functions in few calls, and each box hears its own answer. */
@QuarkusTest
@QuarkusTestResource(FunctionsStandIn.class)
class RegistrationBatchingTest {

    private static final String OK_NEWIP = """
            {"outcome":"OK_NEWIP","boxId":7,"spnIp":"10.99.0.5","mask":"16","nokReason":null,"message":null,
             "commandsPending":false}""";
    private static final int BOXES = 40;

    @Inject
    EdgeLoop loop;

    @Inject
    KeyPair edgeKeys;

    @BeforeEach
    void reset() {
        FunctionsStandIn.reset();
    }

    @Test
    void hellosArrivingTogether_areRelayedInBatches_andEveryBoxIsAnswered() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        // A slow registry: HELLOs keep arriving while a batch is out, so the next batches fill up.
        FunctionsStandIn.delayMillis = 100;

        List<Message> answers = helloAtOnce(BOXES);

        assertThat(answers).hasSize(BOXES).allMatch(answer -> answer instanceof OkNewIp);
        List<FunctionsStandIn.Call> batches = FunctionsStandIn.calls("register-batch");
        assertThat(batches.size()).as("%d HELLOs, far fewer calls", BOXES).isLessThan(BOXES / 2);
        assertThat(batches).allMatch(call -> call.body().get("registrations").size() <= 64);
        Set<String> relayedKeys = new HashSet<>();
        batches.forEach(call -> call.body().get("registrations")
                .forEach(hello -> relayedKeys.add(hello.get("publicKey").asText())));
        assertThat(relayedKeys).as("every box relayed, with its own proven key").hasSize(BOXES);
        assertThat(FunctionsStandIn.calls("register")).as("no HELLO relayed on its own as well").hasSize(BOXES);
    }

    @Test
    void aBatchTheFunctionsRefuse_tellsEachOfItsBoxesToTryAgain_withoutRepeatingTheCall() throws Exception {
        FunctionsStandIn.failWithStatus = 503;

        List<Message> answers = helloAtOnce(8);

        assertThat(answers).hasSize(8).allMatch(answer -> answer instanceof Nok nok
                && nok.reason() == NokReason.TRY_AGAIN);
        assertThat(FunctionsStandIn.calls("register")).as("each HELLO relayed once, not repeated").hasSize(8);
    }

    private List<Message> helloAtOnce(int boxes) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(boxes);
        try {
            List<Callable<Message>> hellos = new ArrayList<>();
            for (int i = 0; i < boxes; i++) {
                hellos.add(() -> {
                    try (TestBox box = new TestBox(edgeKeys.publicKey(), loop.localPort())) {
                        return box.hello("g");
                    }
                });
            }
            List<Message> answers = new ArrayList<>();
            for (Future<Message> answer : senders.invokeAll(hellos, 30, TimeUnit.SECONDS)) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            senders.shutdownNow();
        }
    }
}
