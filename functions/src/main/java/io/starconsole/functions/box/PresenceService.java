package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.AddressConfig;
import io.starconsole.functions.address.LeaseRepository;
import io.starconsole.functions.command.CommandQueue;
import io.starconsole.functions.database.Transactions;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.ota.OtaHealth;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Presence: heartbeat batches, BYE, the offline check and lease reclaim. Each is one or a few
 * set-based statements, so a batch of thousands costs a few round trips, and the periodic checks
 * are safe to run on several instances at once (a row changes state once; only the instance that
 * changed it writes the event).
 */
@ApplicationScoped
public class PresenceService {

    /** The most heartbeats one call may carry. */
    public static final int MAX_BATCH = 10_000;
    private static final int MAX_ATTEMPTS = 3;

    private final Pool pool;
    private final PresenceConfig presence;
    private final AddressConfig addressConfig;
    private final LeaseRepository leases;
    private final BoxRepository boxes;
    private final OtaHealth ota;

    public PresenceService(Pool pool, PresenceConfig presence, AddressConfig addressConfig, LeaseRepository leases,
                           BoxRepository boxes, OtaHealth ota) {
        this.ota = ota;
        this.pool = pool;
        this.presence = presence;
        this.addressConfig = addressConfig;
        this.leases = leases;
        this.boxes = boxes;
    }

    /**
     * Applies a batch: last seen (never moved back, never in the future), real address and port,
     * online; an 'online' event for each box that was offline and an 'address_changed' event for
     * each box seen from a new address (NAT rebinding, new uplink). The latest heartbeat of a box
     * in the batch wins. A heartbeat older than a BYE or offline mark does not revive the box.
     * The answer names the boxes of the batch with queued commands, and those the registry no
     * longer serves (unknown, not accepted, or holding no SPN IP): their edge ends their sessions,
     * since it answers their re-keys itself while nothing changed.
     */
    public Uni<Heartbeats.Result> apply(Heartbeats.Batch batch) {
        List<Heartbeats.Heartbeat> beats = checkBatch(batch);
        if (beats.isEmpty()) {
            return Uni.createFrom().item(new Heartbeats.Result(0, List.of(), List.of()));
        }
        String[] keys = new String[beats.size()];
        String[] ips = new String[beats.size()];
        Integer[] ports = new Integer[beats.size()];
        OffsetDateTime[] times = new OffsetDateTime[beats.size()];
        for (int i = 0; i < beats.size(); i++) {
            Heartbeats.Heartbeat beat = beats.get(i);
            keys[i] = beat.publicKey();
            ips[i] = beat.realIp();
            ports[i] = beat.realPort();
            times[i] = beat.at();
        }
        return TransientFailures.retry(() -> Transactions.run(pool, db -> db.preparedQuery("WITH hb AS ("
                                + " SELECT DISTINCT ON (k) k, ip, port, least(t, now()) AS t"
                                + "   FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[]) AS u(k, ip, port, t)"
                                + "   ORDER BY k, t DESC),"
                                + " prev AS (SELECT c.id, c.online, c.realip AS old_ip, c.realport AS old_port, hb.*"
                                + "   FROM spnclients c JOIN hb ON c.publickey = hb.k WHERE c.admission = 'accepted'"
                                + "   AND (c.online OR c.last_seen IS NULL OR hb.t > c.last_seen)"
                                // rows locked in id order: two edges' batches never deadlock on each other;
                                // for a non-key update, so a command queued for a box meanwhile (its
                                // delivery's foreign key share-locks the row) does not wait for this commit
                                + "   ORDER BY c.id FOR NO KEY UPDATE OF c),"
                                + " upd AS (UPDATE spnclients c SET online = true, last_seen = greatest(c.last_seen, prev.t),"
                                + "   realip = prev.ip, realport = prev.port, edge_id = $5, updated_at = now()"
                                + "   FROM prev WHERE c.id = prev.id RETURNING c.id),"
                                + " ev AS (INSERT INTO box_events (box_id, at, kind, realip, realport, detail)"
                                + "   SELECT id, t, 'online', ip, port, 'heartbeat via ' || $5 FROM prev WHERE NOT online"
                                + "   UNION ALL SELECT id, t, 'address_changed', ip, port,"
                                + "     'from ' || old_ip || ':' || coalesce(old_port::text, '?') FROM prev"
                                + "     WHERE old_ip IS NOT NULL AND (old_ip <> ip OR old_port IS DISTINCT FROM port))"
                                // the boxes the registry no longer serves: their edge ends their sessions
                                + " SELECT (SELECT count(*) FROM upd) AS applied, (SELECT array_agg(hb.k ORDER BY hb.k) FROM hb"
                                + "   WHERE NOT EXISTS (SELECT 1 FROM spnclients c WHERE c.publickey = hb.k"
                                + "     AND c.admission = 'accepted' AND c.vpnmask IS NOT NULL)) AS not_served")
                        .execute(Tuple.of(keys, ips, ports, times, batch.edgeId()))
                        // boxes in a rollout, back on the new version, alive: the other half of the judgement
                        .call(counted -> ota.heartbeats(db, keys))
                        .flatMap(applied -> db.preparedQuery("SELECT DISTINCT c.publickey FROM spnclients c"
                                        + " JOIN command_deliveries d ON d.box_id = c.id AND " + CommandQueue.DUE_FOR_DELIVERY
                                        + " WHERE c.publickey = ANY($1)")
                                .execute(Tuple.of((Object) keys))
                                .onItem().transform(work -> {
                                    List<String> withWork = new ArrayList<>();
                                    work.forEach(row -> withWork.add(row.getString(0)));
                                    Row row = applied.iterator().next();
                                    String[] notServed = row.getArrayOfStrings("not_served");
                                    return new Heartbeats.Result(row.getLong("applied").intValue(), withWork,
                                            notServed == null ? List.of() : List.of(notServed));
                                }))), MAX_ATTEMPTS);
    }

    private static List<Heartbeats.Heartbeat> checkBatch(Heartbeats.Batch batch) {
        if (batch == null || batch.heartbeats() == null) {
            throw ApiException.badField("heartbeats", "heartbeats is required");
        }
        EdgeInput.requireEdgeId(batch.edgeId());
        List<Heartbeats.Heartbeat> beats = batch.heartbeats();
        if (beats.size() > MAX_BATCH) {
            throw ApiException.badField("heartbeats", "at most " + MAX_BATCH + " heartbeats per call");
        }
        for (int i = 0; i < beats.size(); i++) {
            Heartbeats.Heartbeat beat = beats.get(i);
            String field = "heartbeats[" + i + "]";
            if (beat == null) {
                throw ApiException.badField(field, field + " is null");
            }
            if (BoxFields.publicKeyProblem(beat.publicKey()) != null) {
                throw ApiException.badField(field + ".publicKey", BoxFields.publicKeyProblem(beat.publicKey()));
            }
            if (!BoxFields.isRealAddress(beat.realIp())) {
                throw ApiException.badField(field + ".realIp", "realIp must be an IPv4 or IPv6 address");
            }
            if (beat.realPort() == null || BoxFields.portProblem("realPort", beat.realPort()) != null) {
                throw ApiException.badField(field + ".realPort", "realPort must be between 0 and 65535");
            }
            if (beat.at() == null) {
                throw ApiException.badField(field + ".at", "at (an ISO instant) is required");
            }
        }
        return beats;
    }

    /** BYE: the box is offline and its session over; its record and address stay. */
    public Uni<Void> bye(String publicKey, String edgeId) {
        EdgeInput.requireKey(publicKey);
        return Transactions.run(pool, db -> db.preparedQuery("UPDATE spnclients SET online = false,"
                                + " last_seen = now(), updated_at = now() WHERE publickey = $1 RETURNING id, realip, realport")
                        .execute(Tuple.of(publicKey))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().failure(ApiException.notFound("box"));
                            }
                            Row row = rows.iterator().next();
                            return new BoxEvents().add(row.getInteger("id"), "bye", row.getString("realip"),
                                    row.getInteger("realport"), edgeId == null ? null : "via " + edgeId).writeTo(db);
                        }));
    }

    /** CANCEL_IP: the box gives its address back; it cools down before anyone gets it. A pinned address stays. */
    public Uni<Void> cancelIp(String publicKey) {
        EdgeInput.requireKey(publicKey);
        return Transactions.run(pool, db -> boxes.lockByKey(db, publicKey).flatMap(known -> {
            if (known == null) {
                return Uni.createFrom().failure(ApiException.notFound("box"));
            }
            return leases.release(db, known.id(), addressConfig.coolDown(), false).flatMap(released ->
                    released == null ? Uni.createFrom().voidItem()
                            : new BoxEvents().add(known.id(), "spn_ip_released", known.realIp(), known.realPort(),
                                    released + " (CANCEL_IP)").writeTo(db));
        }));
    }

    /**
     * Marks offline every online box not seen for the configured time before {@code now}; how many.
     * It never waits for a box's row: one locked by a presence hand-over (which locks its boxes in
     * id order) or a registration is being heard from and is skipped, so the check can neither
     * deadlock with them nor hold them up; a box skipped and still silent goes at the next check.
     */
    public Uni<Integer> markSilentBoxesOffline(OffsetDateTime now) {
        OffsetDateTime cutoff = now.minus(presence.offlineAfter());
        return pool.preparedQuery("WITH silent AS (SELECT id FROM spnclients WHERE online AND last_seen < $1"
                        + "   ORDER BY id FOR NO KEY UPDATE SKIP LOCKED),"
                        + " gone AS (UPDATE spnclients c SET online = false, updated_at = now() FROM silent"
                        + "   WHERE c.id = silent.id AND c.online AND c.last_seen < $1"
                        + "   RETURNING c.id, c.realip, c.realport, c.last_seen)"
                        + " INSERT INTO box_events (box_id, at, kind, realip, realport, detail)"
                        + " SELECT id, least($2, now()), 'offline', realip, realport, 'no heartbeat since ' || last_seen FROM gone")
                .execute(Tuple.of(cutoff, now))
                .onItem().transform(rows -> rows.rowCount());
    }

    /**
     * As {@link #markSilentBoxesOffline(OffsetDateTime)}, counting silence only from
     * {@code listeningSince}: before it the console could not hear heartbeats (its database was
     * away, or it had just started) and the edges are still relaying what they kept meanwhile. Until
     * it has listened for the offline timeout, no box is marked; the database is still asked, so
     * the caller learns whether it answers.
     */
    public Uni<Integer> markSilentBoxesOffline(OffsetDateTime now, OffsetDateTime listeningSince) {
        if (listeningSince.isAfter(now.minus(presence.offlineAfter()))) {
            return pool.query("SELECT 1").execute().replaceWith(0);
        }
        return markSilentBoxesOffline(now);
    }

    /** Returns to the pool the unpinned leases of boxes absent longer than the configured time; how many. */
    public Uni<Integer> reclaimLeases(OffsetDateTime now) {
        OffsetDateTime cutoff = now.minus(addressConfig.reclaimAfter());
        return Transactions.run(pool, db -> leases.reclaim(db, cutoff, addressConfig.coolDown()).flatMap(released -> {
            BoxEvents events = new BoxEvents();
            released.forEach(r -> events.add(r.boxId(), "spn_ip_released", null, null, r.address() + " (reclaimed)"));
            return events.writeTo(db).replaceWith(released.size());
        }));
    }
}
