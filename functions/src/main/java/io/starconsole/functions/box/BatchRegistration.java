package io.starconsole.functions.box;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.admission.AdmissionPolicy;
import io.starconsole.functions.admission.AdmissionService;
import io.starconsole.functions.admission.AdmissionSettings;
import io.starconsole.functions.box.RegisterResult.NokReason;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many HELLOs relayed in one call ({@code POST /internal/v1/register-batch}), answered per box in
 * the order asked. The boxes are registered in one transaction, so one commit (one WAL flush)
 * stands for all of them, with the same rules as {@link RegistrationService#register}. The known
 * boxes of the batch are locked in one statement (in id order, so batches sharing boxes never
 * deadlock on them). The first HELLO of each box not known, under the open policy, is registered
 * with the others like it set-wise ({@link NewBoxes}: a few statements for the whole batch); every
 * other HELLO (known boxes, a box's later HELLOs in the batch, new boxes under a policy that judges
 * each) runs box by box afterwards, pipelined on the transaction's connection, several boxes at a
 * time, the HELLOs of one box one after the other. A box whose envelope or HELLO is bad is answered
 * NOK BAD_REQUEST and never reaches the database. Should the transaction fail (a deadlock with
 * another batch, a row the database refuses), nothing of it stays and every box is registered again
 * on its own, so one bad box fails alone.
 */
@ApplicationScoped
public class BatchRegistration {

    private static final Logger LOG = Logger.getLogger(BatchRegistration.class);
    /** Registrations per call at most. */
    public static final int MAX_BATCH = 500;
    /** Boxes whose statements are on the wire at once within the batch's transaction. */
    private static final int PIPELINED_BOXES = 16;

    private final Pool pool;
    private final AdmissionService admission;
    private final RegistrationService registrations;
    private final BoxRepository boxes;
    private final NewBoxes newBoxes;

    public BatchRegistration(Pool pool, AdmissionService admission, RegistrationService registrations,
                             BoxRepository boxes, NewBoxes newBoxes) {
        this.pool = pool;
        this.admission = admission;
        this.registrations = registrations;
        this.boxes = boxes;
        this.newBoxes = newBoxes;
    }

    /** The HELLOs of a batch. */
    public record Batch(List<RegisterRequest> registrations) {
    }

    /** One answer per HELLO, in the order of the batch. */
    public record Answers(List<RegisterResult> results) {
    }

    public Uni<Answers> register(Batch batch) {
        if (batch == null || batch.registrations() == null || batch.registrations().isEmpty()) {
            throw ApiException.badField("registrations", "registrations must hold 1 to " + MAX_BATCH + " HELLOs");
        }
        List<RegisterRequest> requests = batch.registrations();
        if (requests.size() > MAX_BATCH) {
            throw ApiException.badField("registrations", "registrations must hold 1 to " + MAX_BATCH + " HELLOs, not "
                    + requests.size());
        }
        RegisterResult[] results = new RegisterResult[requests.size()];
        Map<String, List<Integer>> byBox = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            String problem = problem(requests.get(i));
            if (problem != null) {
                results[i] = RegisterResult.nok(null, NokReason.BAD_REQUEST, problem);
            } else {
                byBox.computeIfAbsent(requests.get(i).publicKey(), key -> new ArrayList<>()).add(i);
            }
        }
        if (byBox.isEmpty()) {
            return Uni.createFrom().item(new Answers(Arrays.asList(results)));
        }
        return Transactions.run(pool, db -> admission.current(db).flatMap(settings -> boxes.lockByKeys(db,
                        byBox.keySet().toArray(String[]::new)).flatMap(known -> {
                    List<Integer> together = new ArrayList<>();
                    if (settings.policy() == AdmissionPolicy.OPEN) {
                        byBox.forEach((key, indices) -> {
                            if (!known.containsKey(key)) {
                                together.add(indices.get(0));
                            }
                        });
                    }
                    List<RegisterRequest> fresh = together.stream().map(requests::get).toList();
                    Uni<Map<String, RegisterResult>> registered = fresh.isEmpty() ? Uni.createFrom().item(Map.of())
                            : newBoxes.register(db, fresh, settings.manualApproval() ? "pending" : "accepted");
                    return registered.flatMap(answers -> {
                        List<List<Integer>> oneByOne = new ArrayList<>();
                        for (List<Integer> indices : byBox.values()) {
                            RegisterResult answer = answers.get(requests.get(indices.get(0)).publicKey());
                            if (answer != null) {
                                results[indices.get(0)] = answer;
                            }
                            List<Integer> rest = answer == null ? indices : indices.subList(1, indices.size());
                            if (!rest.isEmpty()) {
                                oneByOne.add(rest);
                            }
                        }
                        return Multi.createFrom().iterable(oneByOne)
                                .onItem().transformToUni(indices -> inOrder(db, requests, indices, 0, settings, results))
                                .merge(PIPELINED_BOXES)
                                .collect().last();
                    });
                })))
                .onItem().transform(done -> new Answers(Arrays.asList(results)))
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("a batch of %d registrations failed as a whole (%s); registering its boxes one by one",
                            byBox.size(), failure.getMessage());
                    return oneByOne(requests, byBox, results);
                });
    }

    /** The HELLOs of one box, in the order they came, in the batch's transaction. */
    private Uni<Void> inOrder(SqlClient db, List<RegisterRequest> requests, List<Integer> indices, int next,
                              AdmissionSettings settings, RegisterResult[] results) {
        int index = indices.get(next);
        return registrations.registerIn(db, requests.get(index), settings).flatMap(result -> {
            results[index] = result;
            return next + 1 < indices.size() ? inOrder(db, requests, indices, next + 1, settings, results)
                    : Uni.createFrom().voidItem();
        });
    }

    private Uni<Answers> oneByOne(List<RegisterRequest> requests, Map<String, List<Integer>> byBox,
                                  RegisterResult[] results) {
        List<Integer> order = byBox.values().stream().flatMap(List::stream).toList();
        return Multi.createFrom().iterable(order)
                .onItem().transformToUniAndConcatenate(index -> registrations.register(requests.get(index))
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("registration of a box from %s failed: %s", requests.get(index).realIp(),
                                    failure.toString());
                            return RegisterResult.nok(null, NokReason.TRY_AGAIN, "the registry could not take this box; try again");
                        })
                        .onItem().invoke(result -> results[index] = result))
                .collect().last()
                .onItem().transform(done -> new Answers(Arrays.asList(results)));
    }

    /** What makes this HELLO unfit for the registry, or null. */
    private static String problem(RegisterRequest request) {
        try {
            RegistrationService.checkEnvelope(request);
        } catch (ApiException e) {
            return e.getMessage();
        }
        return RegistrationService.helloProblem(request.hello());
    }
}
