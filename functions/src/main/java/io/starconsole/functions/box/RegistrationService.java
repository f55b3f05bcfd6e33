package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.AddressAllocator;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.admission.AdmissionService;
import io.starconsole.functions.admission.AdmissionSettings;
import io.starconsole.functions.box.RegisterResult.NokReason;
import io.starconsole.functions.box.RegisterResult.Outcome;
import io.starconsole.functions.command.CommandQueue;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.ota.OtaHealth;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Objects;

/**
 * HELLO: admission, the upsert of the box and its SPN IP, in one transaction that holds the box's
 * row lock. Re-registration never fails: the box is found by its public key and updated.
 */
@ApplicationScoped
public class RegistrationService {

    private static final Logger LOG = Logger.getLogger(RegistrationService.class);
    /** Deadlocks and serialization failures are retried this often before answering TRY_AGAIN. */
    private static final int MAX_TRANSACTION_ATTEMPTS = 3;

    private final Pool pool;
    private final BoxRepository boxes;
    private final AdmissionService admission;
    private final AddressAllocator addresses;
    private final CommandQueue commands;
    private final OtaHealth ota;

    public RegistrationService(Pool pool, BoxRepository boxes, AdmissionService admission, AddressAllocator addresses,
                               CommandQueue commands, OtaHealth ota) {
        this.ota = ota;
        this.pool = pool;
        this.boxes = boxes;
        this.admission = admission;
        this.addresses = addresses;
        this.commands = commands;
    }

    public Uni<RegisterResult> register(RegisterRequest request) {
        checkEnvelope(request);
        String problem = helloProblem(request.hello());
        if (problem != null) {
            return Uni.createFrom().item(RegisterResult.nok(null, NokReason.BAD_REQUEST, problem));
        }
        return attempt(request);
    }

    private Uni<RegisterResult> attempt(RegisterRequest request) {
        return TransientFailures.retry(() -> Transactions.run(pool, db -> admission.current(db)
                        .flatMap(settings -> registerIn(db, request, settings))), MAX_TRANSACTION_ATTEMPTS)
                .onFailure(TransientFailures::isTransient).recoverWithItem(failure -> {
                    LOG.debugf("registration gave up after %d attempts: %s", MAX_TRANSACTION_ATTEMPTS,
                            failure.getMessage());
                    return RegisterResult.nok(null, NokReason.TRY_AGAIN, "the registry is busy; try again");
                });
    }

    /** Admission and upsert of one box in the caller's transaction (which must also have read {@code settings}). */
    Uni<RegisterResult> registerIn(SqlClient db, RegisterRequest request, AdmissionSettings settings) {
        RegisterRequest.Hello hello = request.hello();
        return boxes.lockByKey(db, request.publicKey()).flatMap(known -> {
            if (known != null) {
                if ("rejected".equals(known.admission())) {
                    return Uni.createFrom().item(RegisterResult.nok(known.id(), NokReason.DENIED,
                            "an operator rejected this box"));
                }
                String group = known.groupBound() ? known.group() : BoxFields.blankToNull(hello.groupName());
                return store(db, request, known, known.admission(), group, known.groupBound(), null);
            }
            return admission.judgeNewBox(db, settings.policy(), request.publicKey(),
                    BoxFields.blankToNull(hello.enrolmentToken())).flatMap(verdict -> {
                if (!verdict.admitted()) {
                    LOG.infof("refused a new box from %s: %s", request.realIp(), verdict.reason());
                    return Uni.createFrom().item(RegisterResult.nok(null, NokReason.DENIED, verdict.reason()));
                }
                boolean bound = verdict.boundGroup() != null;
                String group = bound ? verdict.boundGroup() : BoxFields.blankToNull(hello.groupName());
                return store(db, request, null, settings.manualApproval() ? "pending" : "accepted", group, bound,
                        verdict.tokenId());
            });
        });
    }

    private Uni<RegisterResult> store(SqlClient db, RegisterRequest request, BoxRepository.Known known,
                                      String admissionState, String group, boolean groupBound, Long tokenId) {
        RegisterRequest.Hello hello = request.hello();
        boolean accepted = "accepted".equals(admissionState);
        BoxRepository.Upsert upsert = new BoxRepository.Upsert(request.publicKey(), request.realIp(),
                request.realPort(), group, groupBound, BoxFields.blankToNull(hello.allowedIps()),
                hello.macAddress().toLowerCase(Locale.ROOT), BoxFields.blankToNull(hello.idString()), admissionState,
                accepted, hello.endpointPort(), hello.listenPort(), BoxFields.blankToNull(hello.firmwareVersion()),
                request.edgeId(), tokenId);
        return boxes.upsert(db, upsert).flatMap(stored -> {
            int boxId = stored.id();
            BoxEvents events = new BoxEvents();
            events.add(boxId, "registered", request.realIp(), request.realPort(),
                    (known == null ? "new" : request.reconnect() ? "reconnect" : "again") + ", " + admissionState);
            if (known != null && known.realIp() != null && (!known.realIp().equals(request.realIp())
                    || !Objects.equals(known.realPort(), request.realPort()))) {
                events.add(boxId, "address_changed", request.realIp(), request.realPort(),
                        "from " + known.realIp() + ":" + known.realPort());
            }
            if (accepted && (known == null || !known.online())) {
                events.add(boxId, "online", request.realIp(), request.realPort(), "registered");
            }
            if (!accepted) {
                return events.writeTo(db).replaceWith(RegisterResult.nok(boxId, NokReason.PENDING_APPROVAL,
                        "this box waits for an operator's approval"));
            }
            String requested = requestedAddress(hello.requestedSpnIp());
            return addresses.assign(db, boxId, group, requested).flatMap(assignment -> {
                if (assignment.released() != null) {
                    events.add(boxId, "spn_ip_released", request.realIp(), request.realPort(), assignment.released()
                            + (assignment.changedByCommand() ? " (changed to " + assignment.address() + " by a command)"
                            : " (moved to the pool of group " + group + ")"));
                }
                if (assignment.newlyBound()) {
                    events.add(boxId, "spn_ip_assigned", request.realIp(), request.realPort(), assignment.address());
                }
                Uni<Void> written = events.writeTo(db);
                if (assignment.address() == null) {
                    return written.replaceWith(assignment.contended()
                            ? RegisterResult.nok(boxId, NokReason.TRY_AGAIN, "the address pool is busy; try again")
                            : RegisterResult.nok(boxId, NokReason.ADDRESS_EXHAUSTED,
                                    "no free SPN IP in the pool of " + (group == null ? "the default group" : "group " + group)));
                }
                Outcome outcome = assignment.address().equals(requested) ? Outcome.OK : Outcome.OK_NEWIP;
                // A box that joined a group (or the fleet) gets the open commands meant for late joiners.
                // A box in a rollout that came back on the release's version: half of its health judgement.
                return written.flatMap(v -> ota.registered(db, boxId, BoxFields.blankToNull(hello.firmwareVersion())))
                        .flatMap(v -> commands.materialiseLateJoiners(db, boxId))
                        .onItem().transform(joined -> new RegisterResult(outcome, boxId, assignment.address(),
                                assignment.mask(), null, null, stored.commandsPending() || joined));
            });
        });
    }

    static String requestedAddress(String requested) {
        return requested == null || requested.isEmpty() || Ipv4.ANY.equals(requested) ? null : requested;
    }

    /** The edge's part of the request: wrong here is the edge's defect, an HTTP 400. */
    static void checkEnvelope(RegisterRequest request) {
        if (request == null) {
            throw ApiException.badField("publicKey", "a JSON body is required");
        }
        EdgeInput.requireKey(request.publicKey());
        EdgeInput.requireEdgeId(request.edgeId());
        EdgeInput.requireRealAddress(request.realIp(), request.realPort());
        if (request.hello() == null) {
            throw ApiException.badField("hello", "hello is required");
        }
    }

    /** The box's part: wrong here is answered NOK BAD_REQUEST, with the reason the agent logs. */
    static String helloProblem(RegisterRequest.Hello hello) {
        String problem = firstProblem(
                BoxFields.groupProblem(BoxFields.blankToNull(hello.groupName())),
                BoxFields.textProblem("idString", hello.idString(), BoxFields.MAX_ID_STRING_LENGTH),
                BoxFields.macProblem(hello.macAddress()),
                BoxFields.portProblem("listenPort", hello.listenPort()),
                BoxFields.portProblem("endpointPort", hello.endpointPort()),
                BoxFields.allowedIpsProblem(hello.allowedIps()),
                BoxFields.versionProblem("firmwareVersion", hello.firmwareVersion()),
                BoxFields.textProblem("enrolmentToken", hello.enrolmentToken(), 256));
        if (problem != null) {
            return problem;
        }
        if (hello.requestedSpnIp() != null && !hello.requestedSpnIp().isEmpty() && !Ipv4.isValid(hello.requestedSpnIp())) {
            return "requestedSpnIp must be a dotted quad such as 10.99.0.7, or 0.0.0.0 for any";
        }
        if (hello.requestedMask() != null && (hello.requestedMask() < 0 || hello.requestedMask() > 32)) {
            return "requestedMask must be between 0 and 32";
        }
        return null;
    }

    private static String firstProblem(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
