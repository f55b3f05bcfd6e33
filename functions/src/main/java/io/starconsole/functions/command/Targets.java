package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.box.BoxFields;
import io.starconsole.functions.database.PlannerStatistics;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who a command reaches: one box (named by id, public key or SPN IP), the accepted boxes of a
 * group, or every accepted box (the seed's 0.0.0.0).
 */
@ApplicationScoped
public class Targets {

    /** {@code {"box": ...}}, {@code {"group": ...}} or {@code {"all": true}}: exactly one of them. */
    public record Spec(Object box, String group, Boolean all) {
    }

    /** A checked target: kind {@code box} (value: how the caller named the box), {@code group} or {@code all}. */
    public record Target(String kind, String value) {
    }

    /** A box a command names. */
    public record BoxRef(int id, String group, String publicKey, String spnIp, String vpnip) {
        static BoxRef from(Row row) {
            return new BoxRef(row.getInteger("id"), row.getString("groupname"), row.getString("publickey"),
                    row.getString("spn_ip"), row.getString("vpnip"));
        }
    }

    private static final String ACCEPTED_OF_GROUP = " FROM spnclients WHERE admission = 'accepted' AND groupname = $1";
    private static final String ACCEPTED = " FROM spnclients WHERE admission = 'accepted'";

    public static Target check(Spec spec, String field) {
        if (spec == null) {
            throw ApiException.badField(field, field + " is required: {\"box\": ...}, {\"group\": ...} or {\"all\": true}");
        }
        int given = (spec.box() != null ? 1 : 0) + (spec.group() != null ? 1 : 0) + (spec.all() != null ? 1 : 0);
        if (given != 1) {
            throw ApiException.badField(field, field + " must name exactly one of box, group or all");
        }
        if (spec.box() != null) {
            String box = spec.box().toString().trim();
            if (box.isEmpty() || box.length() > 64) {
                throw ApiException.badField(field, field + ".box must be a box id, public key or SPN IP");
            }
            return new Target("box", box);
        }
        if (spec.group() != null) {
            if (spec.group().isBlank() || BoxFields.groupProblem(spec.group().trim()) != null) {
                throw ApiException.badField(field, field + ".group must be a group name");
            }
            return new Target("group", spec.group().trim());
        }
        if (!spec.all()) {
            throw ApiException.badField(field, field + ".all must be true");
        }
        return new Target("all", null);
    }

    /** How a command names one box: by its id, the SPN IP it holds, or its public key (exactly one set). */
    record BoxName(Integer id, String address, String publicKey) {

        /** {@code named} read as a box name; a 400 on {@code field} when it is none. */
        static BoxName of(String named, String field) {
            if (named.matches("^\\d{1,9}$")) {
                return new BoxName(Integer.parseInt(named), null, null);
            }
            if (Ipv4.isValid(named)) {
                return new BoxName(null, named, null);
            }
            String key = BoxFields.canonicalPublicKey(named);
            if (key == null) {
                throw ApiException.badField(field, field + ".box must be a box id, public key or SPN IP");
            }
            return new BoxName(null, null, key);
        }
    }

    /** The box named by id, public key or SPN IP; a 404 when there is none. */
    public Uni<BoxRef> box(SqlClient db, String named, String field) {
        BoxName name = BoxName.of(named, field);
        String where;
        Object parameter;
        if (name.id() != null) {
            where = "c.id = $1";
            parameter = name.id();
        } else if (name.address() != null) {
            where = "l.address = $1::text::inet";
            parameter = name.address();
        } else {
            where = "c.publickey = $1";
            parameter = name.publicKey();
        }
        return db.preparedQuery("SELECT c.id, c.groupname, c.publickey, c.vpnip, host(l.address) AS spn_ip"
                        + " FROM spnclients c LEFT JOIN address_leases l ON l.box_id = c.id AND l.state = 'bound'"
                        + " WHERE " + where)
                .execute(Tuple.of(parameter))
                .onItem().transform(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("box " + named);
                    }
                    return BoxRef.from(rows.iterator().next());
                });
    }

    /** How many boxes a group or all-boxes target reaches now. */
    public Uni<Long> count(SqlClient db, Target target) {
        boolean group = "group".equals(target.kind());
        return db.preparedQuery("SELECT count(*)" + (group ? ACCEPTED_OF_GROUP : ACCEPTED))
                .execute(group ? Tuple.of(target.value()) : Tuple.tuple())
                .onItem().transform(rows -> rows.iterator().next().getLong(0));
    }

    /** One queued delivery per box of a group or all-boxes target; how many. */
    public Uni<Integer> deliverToAll(SqlClient db, long commandId, Target target) {
        boolean group = "group".equals(target.kind());
        return db.preparedQuery("INSERT INTO command_deliveries (command_id, box_id) SELECT $" + (group ? 2 : 1)
                        + "::bigint, id" + (group ? ACCEPTED_OF_GROUP : ACCEPTED) + " ORDER BY id")
                .execute(group ? Tuple.of(target.value(), commandId) : Tuple.of(commandId))
                .flatMap(rows -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries", rows.rowCount())
                        .replaceWith(rows.rowCount()));
    }

    public Uni<Void> deliverTo(SqlClient db, long commandId, int boxId) {
        return db.preparedQuery("INSERT INTO command_deliveries (command_id, box_id) VALUES ($1, $2)")
                .execute(Tuple.of(commandId, boxId))
                .replaceWithVoid();
    }
}
