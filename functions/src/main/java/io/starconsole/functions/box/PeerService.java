package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ASK_SPN_INFO / ANS_SPN_INFO and SND_SPN_INFO: what a box needs to build its tunnels to the other
 * accepted boxes of its group that hold an SPN IP, and what it publishes about itself.
 */
@ApplicationScoped
public class PeerService {

    private static final Pattern HOSTNAME = Pattern.compile(
            "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

    private final Pool pool;
    private final PeersConfig config;

    public PeerService(Pool pool, PeersConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public record PeersRequest(String publicKey, Integer page) {
    }

    /** One page (0-based) of peers; {@code totalPages} is at least 1. */
    public record PeerPage(int page, int totalPages, List<Peer> peers) {
    }

    /** A peer's tunnel parameters; {@code endpoint} "host:port" ("[v6]:port"), or null when unknown. */
    public record Peer(String publicKey, String spnIp, String allowedIps, String endpoint, String groupName) {
    }

    public record SpnInfo(String publicKey, String endpointHost, Integer endpointPort, String allowedIps,
                          Integer listenPort) {
    }

    public Uni<PeerPage> peers(PeersRequest request) {
        if (request == null) {
            throw ApiException.badField("publicKey", "a JSON body is required");
        }
        EdgeInput.requireKey(request.publicKey());
        int page = request.page() == null ? 0 : request.page();
        if (page < 0) {
            throw ApiException.badField("page", "page must be 0 or more");
        }
        int size = config.pageSize();
        return pool.preparedQuery("SELECT id, groupname, admission FROM spnclients WHERE publickey = $1")
                .execute(Tuple.of(request.publicKey()))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ApiException.notFound("box"));
                    }
                    Row me = rows.iterator().next();
                    if (!"accepted".equals(me.getString("admission"))) {
                        return Uni.createFrom().failure(new ApiException(Response.Status.CONFLICT, "not_admitted",
                                "this box is not admitted", null));
                    }
                    Tuple scope = Tuple.of(me.getString("groupname"), me.getInteger("id"));
                    String from = " FROM spnclients c JOIN address_leases l ON l.box_id = c.id AND l.state = 'bound'"
                            + " WHERE c.groupname IS NOT DISTINCT FROM $1 AND c.admission = 'accepted' AND c.id <> $2";
                    return pool.preparedQuery("SELECT count(*)" + from).execute(scope).flatMap(count -> {
                        long total = count.iterator().next().getLong(0);
                        return pool.preparedQuery("SELECT c.publickey, host(l.address) AS spn_ip, c.allowed_ips,"
                                        + " coalesce(c.endpoint_host, c.realip) AS host, c.endpoint_port, c.groupname"
                                        + from + " ORDER BY c.id LIMIT $3 OFFSET $4")
                                .execute(Tuple.of(scope.getValue(0), scope.getValue(1), size, (long) page * size))
                                .onItem().transform(peerRows -> {
                                    List<Peer> peers = new ArrayList<>();
                                    peerRows.forEach(row -> peers.add(new Peer(row.getString("publickey"),
                                            row.getString("spn_ip"), row.getString("allowed_ips"),
                                            endpoint(row.getString("host"), row.getInteger("endpoint_port")),
                                            row.getString("groupname"))));
                                    int totalPages = (int) Math.max(1, (total + size - 1) / size);
                                    return new PeerPage(page, totalPages, peers);
                                });
                    });
                });
    }

    static String endpoint(String host, Integer port) {
        if (host == null || port == null || port == 0) {
            return null;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** SND_SPN_INFO: what the box publishes to its peers; absent fields stay as they are. */
    public Uni<Void> publish(SpnInfo info) {
        if (info == null) {
            throw ApiException.badField("publicKey", "a JSON body is required");
        }
        EdgeInput.requireKey(info.publicKey());
        String host = BoxFields.blankToNull(info.endpointHost());
        if (host != null && !BoxFields.isRealAddress(host) && !HOSTNAME.matcher(host).matches()) {
            throw ApiException.badField("endpointHost", "endpointHost must be an IP address or a host name");
        }
        reject("endpointPort", BoxFields.portProblem("endpointPort", info.endpointPort()));
        reject("listenPort", BoxFields.portProblem("listenPort", info.listenPort()));
        reject("allowedIps", BoxFields.allowedIpsProblem(info.allowedIps()));
        return pool.preparedQuery("UPDATE spnclients SET endpoint_host = coalesce($2, endpoint_host),"
                        + " endpoint_port = coalesce($3, endpoint_port), edport = coalesce($4, edport),"
                        + " allowed_ips = coalesce($5, allowed_ips), listen_port = coalesce($6, listen_port),"
                        + " updated_at = now() WHERE publickey = $1")
                .execute(Tuple.from(Arrays.asList(info.publicKey(), host, info.endpointPort(),
                        info.endpointPort() == null ? null : BoxFields.seedEdport(info.endpointPort()),
                        BoxFields.blankToNull(info.allowedIps()), info.listenPort())))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().failure(ApiException.notFound("box"))
                        : Uni.createFrom().voidItem());
    }

    private static void reject(String field, String problem) {
        if (problem != null) {
            throw ApiException.badField(field, problem);
        }
    }
}
