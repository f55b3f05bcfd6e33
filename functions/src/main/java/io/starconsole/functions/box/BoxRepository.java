package io.starconsole.functions.box;

import io.starconsole.functions.command.CommandQueue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;

/** Writes of the registry in {@code spnclients}; each runs on the caller's connection (its transaction). */
@ApplicationScoped
public class BoxRepository {

    /** What registration needs to know of a box already known, read under a row lock. */
    record Known(int id, String admission, String group, boolean groupBound, boolean online, String realIp,
                 Integer realPort) {
        static Known from(Row row) {
            return new Known(row.getInteger("id"), row.getString("admission"), row.getString("groupname"),
                    row.getBoolean("group_bound"), row.getBoolean("online"), row.getString("realip"),
                    row.getInteger("realport"));
        }
    }

    /** The fields a registration writes. */
    record Upsert(String publicKey, String realIp, Integer realPort, String group, boolean groupBound,
                  String allowedIps, String macAddress, String idString, String admission, boolean online,
                  Integer endpointPort, Integer listenPort, String firmwareVersion, String edgeId, Long tokenId) {
    }

    /** The box with this key, locked until the transaction ends; null when unknown. */
    Uni<Known> lockByKey(SqlClient db, String publicKey) {
        return db.preparedQuery("SELECT id, admission, groupname, group_bound, online, realip, realport"
                        + " FROM spnclients WHERE publickey = $1 FOR UPDATE")
                .execute(Tuple.of(publicKey))
                .onItem().transform(rows -> rows.size() == 0 ? null : Known.from(rows.iterator().next()));
    }

    Uni<Known> lockById(SqlClient db, int id) {
        return db.preparedQuery("SELECT id, admission, groupname, group_bound, online, realip, realport"
                        + " FROM spnclients WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .onItem().transform(rows -> rows.size() == 0 ? null : Known.from(rows.iterator().next()));
    }

    /** The id of an upserted box, and whether it has queued command deliveries. */
    record Stored(int id, boolean commandsPending) {
    }

    /**
     * Inserts or updates the box by public key; its id and whether work waits for it. A new row gets the per-box placeholder as
     * {@code vpnip}, so two new boxes behind one NAT never collide on {@code UNIQUE(realip, vpnip)};
     * an update leaves {@code vpnip} (the trigger on leases owns it), admission and token as they are.
     */
    Uni<Stored> upsert(SqlClient db, Upsert box) {
        return db.preparedQuery("INSERT INTO spnclients (id, realip, vpnip, publickey, edport, groupname, allowed_ips,"
                        + " mac_addr, spnbox_id, created_date, admission, online, realport, endpoint_port, listen_port,"
                        + " firmware_version, edge_id, last_seen, enrolment_token_id, group_bound)"
                        + " SELECT n.id, $1, spn_unassigned_vpnip(n.id), $2, $3, $4, $5, $6, $7, current_date, $8, $9,"
                        + "   $10, $11, $12, $13, $14, now(), $15, $16"
                        + " FROM (SELECT nextval('spnclients_id_seq')::int AS id) n"
                        + " ON CONFLICT (publickey) DO UPDATE SET realip = EXCLUDED.realip, edport = EXCLUDED.edport,"
                        + "   groupname = EXCLUDED.groupname, allowed_ips = EXCLUDED.allowed_ips,"
                        + "   mac_addr = EXCLUDED.mac_addr, spnbox_id = EXCLUDED.spnbox_id, online = EXCLUDED.online,"
                        + "   realport = EXCLUDED.realport, endpoint_port = EXCLUDED.endpoint_port,"
                        + "   listen_port = EXCLUDED.listen_port, firmware_version = EXCLUDED.firmware_version,"
                        + "   edge_id = EXCLUDED.edge_id, last_seen = now(), updated_at = now()"
                        + " RETURNING id, EXISTS (SELECT 1 FROM command_deliveries d"
                        + "   WHERE d.box_id = spnclients.id AND " + CommandQueue.DUE_FOR_DELIVERY + ") AS queued")
                .execute(Tuple.from(Arrays.asList(box.realIp(), box.publicKey(), BoxFields.seedEdport(box.endpointPort()),
                        box.group(), box.allowedIps(), box.macAddress(), box.idString(), box.admission(), box.online(),
                        box.realPort(), box.endpointPort(), box.listenPort(), box.firmwareVersion(), box.edgeId(),
                        box.tokenId(), box.groupBound())))
                .onItem().transform(rows -> {
                    Row row = rows.iterator().next();
                    return new Stored(row.getInteger("id"), row.getBoolean("queued"));
                });
    }

    Uni<Void> setAdmission(SqlClient db, int boxId, String admission) {
        return db.preparedQuery("UPDATE spnclients SET admission = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(boxId, admission))
                .replaceWithVoid();
    }
}
