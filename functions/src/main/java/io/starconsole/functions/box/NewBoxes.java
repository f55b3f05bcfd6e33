package io.starconsole.functions.box;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.AddressAllocator;
import io.starconsole.functions.address.AddressAllocator.Assignment;
import io.starconsole.functions.command.CommandQueue;
import io.starconsole.functions.box.RegisterResult.NokReason;
import io.starconsole.functions.box.RegisterResult.Outcome;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HELLOs of boxes not known a moment ago, admitted without a check of their own (the open
 * policy), registered together in the caller's transaction with one statement per step rather than
 * per box: one insert of all the boxes, the address steps per group ({@link
 * AddressAllocator#assignToNewBoxes}), one insert of all their events. The answers and rows are those
 * {@link RegistrationService#registerIn} gives a new box one at a time.
 */
@ApplicationScoped
public class NewBoxes {

    private final BoxRepository boxes;
    private final AddressAllocator addresses;
    private final CommandQueue commands;

    public NewBoxes(BoxRepository boxes, AddressAllocator addresses, CommandQueue commands) {
        this.boxes = boxes;
        this.addresses = addresses;
        this.commands = commands;
    }

    /**
     * Registers these new boxes (distinct keys, each HELLO valid), admitted as {@code admission}
     * ("accepted" or "pending"); the answers by key. A key another transaction registered meanwhile
     * has no answer: the caller registers it as a known box.
     */
    Uni<Map<String, RegisterResult>> register(SqlClient db, List<RegisterRequest> requests, String admission) {
        boolean accepted = "accepted".equals(admission);
        List<BoxRepository.Upsert> rows = new ArrayList<>(requests.size());
        // Inserted in key order: two batches with the same new keys wait for each other in one
        // order instead of deadlocking.
        for (RegisterRequest request : requests.stream()
                .sorted(java.util.Comparator.comparing(RegisterRequest::publicKey)).toList()) {
            RegisterRequest.Hello hello = request.hello();
            rows.add(new BoxRepository.Upsert(request.publicKey(), request.realIp(), request.realPort(),
                    BoxFields.blankToNull(hello.groupName()), false, BoxFields.blankToNull(hello.allowedIps()),
                    hello.macAddress().toLowerCase(Locale.ROOT), BoxFields.blankToNull(hello.idString()), admission,
                    accepted, hello.endpointPort(), hello.listenPort(), BoxFields.blankToNull(hello.firmwareVersion()),
                    request.edgeId(), null));
        }
        return boxes.insertNew(db, rows).flatMap(ids -> {
            BoxEvents events = new BoxEvents();
            Map<String, RegisterResult> answers = new LinkedHashMap<>();
            Map<String, List<AddressAllocator.Wanted>> byGroup = new LinkedHashMap<>();
            Map<Integer, RegisterRequest> byId = new LinkedHashMap<>();
            for (RegisterRequest request : requests) {
                Integer boxId = ids.get(request.publicKey());
                if (boxId == null) {
                    continue;
                }
                byId.put(boxId, request);
                events.add(boxId, "registered", request.realIp(), request.realPort(), "new, " + admission);
                if (!accepted) {
                    answers.put(request.publicKey(), RegisterResult.nok(boxId, NokReason.PENDING_APPROVAL,
                            "this box waits for an operator's approval"));
                    continue;
                }
                events.add(boxId, "online", request.realIp(), request.realPort(), "registered");
                byGroup.computeIfAbsent(BoxFields.blankToNull(request.hello().groupName()), group -> new ArrayList<>())
                        .add(new AddressAllocator.Wanted(boxId, RegistrationService.requestedAddress(request.hello().requestedSpnIp())));
            }
            return Multi.createFrom().iterable(byGroup.entrySet())
                    .onItem().transformToUniAndConcatenate(group -> addresses.assignToNewBoxes(db, group.getKey(),
                            group.getValue()).onItem().invoke(assigned -> assigned.forEach((boxId, assignment) ->
                            answers.put(byId.get(boxId).publicKey(), answer(byId.get(boxId), boxId, assignment, events)))))
                    .collect().last()
                    .flatMap(done -> events.writeTo(db))
                    .flatMap(written -> lateJoiners(db, answers))
                    .replaceWith(answers);
        });
    }

    /** The answer of a new box to this assignment; the event of the address it got goes to {@code events}. */
    private static RegisterResult answer(RegisterRequest request, int boxId, Assignment assignment, BoxEvents events) {
        if (assignment.address() == null) {
            String group = BoxFields.blankToNull(request.hello().groupName());
            return assignment.contended()
                    ? RegisterResult.nok(boxId, NokReason.TRY_AGAIN, "the address pool is busy; try again")
                    : RegisterResult.nok(boxId, NokReason.ADDRESS_EXHAUSTED,
                            "no free SPN IP in the pool of " + (group == null ? "the default group" : "group " + group));
        }
        events.add(boxId, "spn_ip_assigned", request.realIp(), request.realPort(), assignment.address());
        Outcome outcome = assignment.address().equals(RegistrationService.requestedAddress(request.hello().requestedSpnIp()))
                ? Outcome.OK : Outcome.OK_NEWIP;
        return new RegisterResult(outcome, boxId, assignment.address(), assignment.mask(), null, null, false);
    }

    /**
     * The open commands meant for late joiners, for every box that got an address, in one statement.
     * A box new in this transaction can have no delivery or rollout row before this (no other
     * transaction sees its id), so this is all the single path's post-registration work amounts to.
     */
    private Uni<Void> lateJoiners(SqlClient db, Map<String, RegisterResult> answers) {
        Integer[] addressed = answers.values().stream().filter(r -> r.spnIp() != null)
                .map(RegisterResult::boxId).toArray(Integer[]::new);
        if (addressed.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return commands.materialiseLateJoiners(db, addressed).onItem().invoke(joined ->
                answers.replaceAll((key, r) -> !joined.contains(r.boxId()) ? r
                        : new RegisterResult(r.outcome(), r.boxId(), r.spnIp(), r.mask(), null, null, true)))
                .replaceWithVoid();
    }

}
