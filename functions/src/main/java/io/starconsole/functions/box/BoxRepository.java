package io.starconsole.functions.box;

import io.starconsole.functions.command.CommandQueue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The boxes with these keys that are known, by key, locked until the transaction ends; in the
     * order of their ids, so two batches that share boxes take their locks in one order.
     */
    Uni<Map<String, Known>> lockByKeys(SqlClient db, String[] publicKeys) {
        return db.preparedQuery("SELECT id, publickey, admission, groupname, group_bound, online, realip, realport"
                        + " FROM spnclients WHERE publickey = ANY($1) ORDER BY id FOR UPDATE")
                .execute(Tuple.of((Object) publicKeys))
                .onItem().transform(rows -> {
                    Map<String, Known> known = new HashMap<>();
                    rows.forEach(row -> known.put(row.getString("publickey"), Known.from(row)));
                    return known;
                });
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

    /**
     * Inserts boxes not known a moment ago, in one statement, each with its own id and placeholder
     * {@code vpnip} as {@link #upsert} gives them; their ids by key. A key another transaction
     * inserted meanwhile is left as it is and missing from the answer (the caller then registers it
     * as a known box). The keys must be distinct.
     */
    Uni<Map<String, Integer>> insertNew(SqlClient db, List<Upsert> boxes) {
        int n = boxes.size();
        String[] realIps = new String[n];
        String[] keys = new String[n];
        Short[] edports = new Short[n];
        String[] groups = new String[n];
        String[] allowedIps = new String[n];
        String[] macs = new String[n];
        String[] idStrings = new String[n];
        String[] admissions = new String[n];
        Boolean[] online = new Boolean[n];
        Integer[] realPorts = new Integer[n];
        Integer[] endpointPorts = new Integer[n];
        Integer[] listenPorts = new Integer[n];
        String[] firmware = new String[n];
        String[] edges = new String[n];
        Long[] tokens = new Long[n];
        Boolean[] groupBound = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Upsert box = boxes.get(i);
            realIps[i] = box.realIp();
            keys[i] = box.publicKey();
            edports[i] = BoxFields.seedEdport(box.endpointPort());
            groups[i] = box.group();
            allowedIps[i] = box.allowedIps();
            macs[i] = box.macAddress();
            idStrings[i] = box.idString();
            admissions[i] = box.admission();
            online[i] = box.online();
            realPorts[i] = box.realPort();
            endpointPorts[i] = box.endpointPort();
            listenPorts[i] = box.listenPort();
            firmware[i] = box.firmwareVersion();
            edges[i] = box.edgeId();
            tokens[i] = box.tokenId();
            groupBound[i] = box.groupBound();
        }
        // nextval in the inner select list: evaluated once per row, so each box its own id.
        return db.preparedQuery("INSERT INTO spnclients (id, realip, vpnip, publickey, edport, groupname, allowed_ips,"
                        + " mac_addr, spnbox_id, created_date, admission, online, realport, endpoint_port, listen_port,"
                        + " firmware_version, edge_id, last_seen, enrolment_token_id, group_bound)"
                        + " SELECT n.id, n.realip, spn_unassigned_vpnip(n.id), n.publickey, n.edport, n.groupname,"
                        + "   n.allowed_ips, n.mac_addr, n.spnbox_id, current_date, n.admission, n.online, n.realport,"
                        + "   n.endpoint_port, n.listen_port, n.firmware_version, n.edge_id, now(), n.token_id, n.group_bound"
                        + " FROM (SELECT nextval('spnclients_id_seq')::int AS id, b.* FROM unnest($1::text[], $2::text[],"
                        + "   $3::int2[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[], $10::int[],"
                        + "   $11::int[], $12::int[], $13::text[], $14::text[], $15::int8[], $16::bool[])"
                        + "   AS b(realip, publickey, edport, groupname, allowed_ips, mac_addr, spnbox_id, admission, online,"
                        + "     realport, endpoint_port, listen_port, firmware_version, edge_id, token_id, group_bound)) n"
                        + " ON CONFLICT (publickey) DO NOTHING RETURNING id, publickey")
                .execute(Tuple.from(Arrays.<Object>asList(realIps, keys, edports, groups, allowedIps, macs, idStrings,
                        admissions, online, realPorts, endpointPorts, listenPorts, firmware, edges, tokens, groupBound)))
                .onItem().transform(rows -> {
                    Map<String, Integer> ids = new HashMap<>();
                    rows.forEach(row -> ids.put(row.getString("publickey"), row.getInteger("id")));
                    return ids;
                });
    }

    Uni<Void> setAdmission(SqlClient db, int boxId, String admission) {
        return db.preparedQuery("UPDATE spnclients SET admission = $2, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(boxId, admission))
                .replaceWithVoid();
    }
}
