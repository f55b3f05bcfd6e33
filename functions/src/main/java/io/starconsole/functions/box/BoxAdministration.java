package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.AddressConfig;
import io.starconsole.functions.address.LeaseRepository;
import io.starconsole.functions.audit.AuditLog;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.function.BiFunction;

/** What operators change on a box: approval, rejection, release of its address. Each is audited. */
@ApplicationScoped
public class BoxAdministration {

    private final Pool pool;
    private final BoxRepository boxes;
    private final LeaseRepository leases;
    private final AddressConfig addressConfig;
    private final AuditLog audit;

    public BoxAdministration(Pool pool, BoxRepository boxes, LeaseRepository leases, AddressConfig addressConfig,
                             AuditLog audit) {
        this.pool = pool;
        this.boxes = boxes;
        this.leases = leases;
        this.addressConfig = addressConfig;
        this.audit = audit;
    }

    /** Accepts a pending (or rejected) box: its next HELLO gets an address. */
    public Uni<Void> approve(int id, Caller caller) {
        return change(id, caller, "box.approved", (db, known) -> boxes.setAdmission(db, id, "accepted")
                .flatMap(v -> new BoxEvents().add(id, "approved", null, null, "by " + caller.actor()).writeTo(db)));
    }

    /** Rejects a box: its HELLOs are refused (DENIED) and its address goes back to the pool. */
    public Uni<Void> reject(int id, Caller caller) {
        return change(id, caller, "box.rejected", (db, known) -> boxes.setAdmission(db, id, "rejected")
                .flatMap(v -> leases.release(db, id, addressConfig.coolDown(), true))
                .flatMap(released -> {
                    BoxEvents events = new BoxEvents().add(id, "rejected", null, null, "by " + caller.actor());
                    if (released != null) {
                        events.add(id, "spn_ip_released", null, null, released + " (box rejected)");
                    }
                    return events.writeTo(db);
                }));
    }

    /** Releases the box's address (pinned or not) into cool-down. */
    public Uni<Void> releaseAddress(int id, Caller caller) {
        return change(id, caller, "box.address_released", (db, known) ->
                leases.release(db, id, addressConfig.coolDown(), true).flatMap(released -> released == null
                        ? Uni.createFrom().failure(ApiException.notFound("SPN IP of this box"))
                        : new BoxEvents().add(id, "spn_ip_released", null, null, released + " (by " + caller.actor() + ")")
                                .writeTo(db)));
    }

    private Uni<Void> change(int id, Caller caller, String action,
                             BiFunction<SqlClient, BoxRepository.Known, Uni<Void>> step) {
        return Transactions.run(pool, db -> boxes.lockById(db, id).flatMap(known -> known == null
                        ? Uni.createFrom().failure(ApiException.notFound("box"))
                        : step.apply(db, known)))
                .flatMap(v -> audit.record(caller.actor(), action, "box:" + id, Map.of("boxId", id), caller.source()));
    }
}
