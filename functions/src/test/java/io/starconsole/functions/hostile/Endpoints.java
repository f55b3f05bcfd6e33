package io.starconsole.functions.hostile;

import java.util.List;

import static io.starconsole.functions.hostile.Endpoint.Access.ADMIN;
import static io.starconsole.functions.hostile.Endpoint.Access.EDGE;
import static io.starconsole.functions.hostile.Endpoint.Access.NONE;
import static io.starconsole.functions.hostile.Endpoint.Access.SPARE_ACCOUNT;
import static io.starconsole.functions.hostile.Endpoint.of;

/**
 * Every endpoint of the functions, as the OpenAPI document names it. A new endpoint is a new row:
 * {@link HostileInputTest#table_coversEveryEndpointOfTheOpenApiDocument_andNoOther} fails until it has one.
 */
final class Endpoints {

    private static final String PAGED = "page,size";

    private Endpoints() {
    }

    /** An internal call about one box: {@code {"publicKey", "edgeId"}}. */
    private static Endpoint keyAndEdge(String path) {
        return of("POST", path, EDGE).body("{\"publicKey\":\"${publicKey}\",\"edgeId\":\"edge-1\"}")
                .text("publicKey").free("edgeId");
    }

    static List<Endpoint> all() {
        return List.of(
                // auth and accounts
                of("POST", "/api/v1/auth/login", NONE)
                        .body("{\"username\":\"nobody-hostile\",\"password\":\"not-the-password\"}")
                        .text("username", "password"),
                of("POST", "/api/v1/auth/logout", SPARE_ACCOUNT),
                of("GET", "/api/v1/auth/me", ADMIN),
                of("POST", "/api/v1/auth/password", SPARE_ACCOUNT)
                        .body("{\"current\":\"not-the-current-password\",\"new\":\"another-long-password\"}")
                        .text("current", "new"),
                of("GET", "/api/v1/admins", ADMIN),
                of("POST", "/api/v1/admins", ADMIN)
                        .body("{\"username\":\"new-${unique}\",\"password\":\"a-long-enough-password\",\"role\":\"viewer\"}")
                        .text("username", "role").free("password"),
                of("PATCH", "/api/v1/admins/{id}", ADMIN).at(f -> f.fill("/api/v1/admins/${account}"))
                        .body("{\"role\":\"viewer\",\"disabled\":false,\"password\":\"another-long-password\"}")
                        .text("role").other("disabled").free("password"),
                of("DELETE", "/api/v1/admins/{id}", ADMIN),
                // addresses
                of("GET", "/api/v1/address-pools", ADMIN),
                of("POST", "/api/v1/address-pools", ADMIN)
                        .body("{\"name\":\"p-${unique}\",\"group\":\"g-${unique}\",\"network\":\"10.251.0.0/24\","
                                + "\"gateway\":\"10.251.0.1\"}")
                        .text("name", "group", "network", "gateway"),
                of("DELETE", "/api/v1/address-pools/{id}", ADMIN),
                of("GET", "/api/v1/address-pools/{id}/leases", ADMIN).query(PAGED.split(",")),
                of("POST", "/api/v1/address-pools/{id}/reservations", ADMIN)
                        .at(f -> f.fill("/api/v1/address-pools/${pool}/reservations"))
                        .body("{\"address\":\"${poolAddress}\",\"boxId\":null,\"note\":\"held\"}")
                        .text("address").other("boxId").free("note"),
                of("DELETE", "/api/v1/address-pools/{id}/reservations/{address}", ADMIN),
                // admission
                of("GET", "/api/v1/admission-settings", ADMIN),
                of("PUT", "/api/v1/admission-settings", ADMIN)
                        .body("{\"policy\":\"open\",\"manualApproval\":false}")
                        .text("policy").other("manualApproval"),
                of("DELETE", "/api/v1/admission-settings", SPARE_ACCOUNT),
                of("GET", "/api/v1/enrolment-tokens", ADMIN),
                of("POST", "/api/v1/enrolment-tokens", ADMIN)
                        .body("{\"description\":\"spare\",\"group\":\"${group}\",\"uses\":1,"
                                + "\"expiresAt\":\"2099-01-01T00:00:00Z\"}")
                        .text("group", "expiresAt").other("uses").free("description"),
                of("DELETE", "/api/v1/enrolment-tokens/{id}", ADMIN),
                of("GET", "/api/v1/preregistered-keys", ADMIN),
                of("POST", "/api/v1/preregistered-keys", ADMIN)
                        .body("{\"publicKey\":\"${newKey}\",\"group\":\"${group}\",\"note\":\"spare\"}")
                        .text("publicKey", "group").free("note"),
                of("DELETE", "/api/v1/preregistered-keys/{publicKey}", ADMIN),
                // audit and fleet
                of("GET", "/api/v1/audit", ADMIN).query("actor", "action", "page", "size"),
                of("GET", "/api/v1/fleet/summary", ADMIN),
                // boxes
                of("GET", "/api/v1/boxes", ADMIN).query("group", "online", "admission", "q", "page", "size", "sort"),
                of("GET", "/api/v1/boxes/{id}", ADMIN),
                of("GET", "/api/v1/boxes/{id}/history", ADMIN).query(PAGED.split(",")),
                of("POST", "/api/v1/boxes/{id}/approve", ADMIN),
                of("POST", "/api/v1/boxes/{id}/reject", ADMIN),
                of("DELETE", "/api/v1/boxes/{id}/address", ADMIN),
                of("GET", "/api/v1/boxes/{id}/commands", ADMIN).query(PAGED.split(",")),
                // commands
                of("POST", "/api/v1/commands", ADMIN)
                        .body("{\"type\":\"REBOOT_SPNBOX\",\"target\":{\"group\":\"${group}\"},\"arguments\":\"now\","
                                + "\"priority\":\"normal\",\"notBefore\":null,\"expiresAt\":null,"
                                + "\"includeLateJoiners\":false,\"peer\":null}")
                        .text("type", "target.group", "arguments", "priority", "notBefore", "expiresAt")
                        .other("target", "includeLateJoiners", "peer"),
                of("POST", "/api/v1/commands/batch", ADMIN)
                        .body("{\"commands\":[{\"type\":\"REBOOT_SPNBOX\",\"target\":{\"group\":\"${group}\"},"
                                + "\"arguments\":\"now\",\"priority\":\"normal\",\"notBefore\":null,\"expiresAt\":null,"
                                + "\"includeLateJoiners\":false,\"peer\":null}]}")
                        .text("commands.0.type", "commands.0.target.group", "commands.0.arguments", "commands.0.priority",
                                "commands.0.notBefore", "commands.0.expiresAt")
                        .other("commands", "commands.0.target", "commands.0.includeLateJoiners", "commands.0.peer"),
                of("GET", "/api/v1/commands", ADMIN).query("state", "type", "box", "page", "size"),
                of("GET", "/api/v1/commands/preview", ADMIN).query("box", "group", "all"),
                of("GET", "/api/v1/commands/{id}", ADMIN),
                of("GET", "/api/v1/commands/{id}/deliveries", ADMIN).query("state", "page", "size"),
                of("POST", "/api/v1/commands/{id}/cancel", ADMIN),
                // OTA
                of("GET", "/api/v1/ota/keys", ADMIN),
                of("POST", "/api/v1/releases", ADMIN)
                        .body("{\"manifest\":\"e30=\",\"releaseKey\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}")
                        .text("manifest", "releaseKey"),
                of("GET", "/api/v1/releases", ADMIN).query("model", "state", "page", "size"),
                of("GET", "/api/v1/releases/{id}", ADMIN),
                of("POST", "/api/v1/releases/{id}/withdraw", ADMIN),
                of("POST", "/api/v1/rollouts", ADMIN)
                        .body("{\"releaseId\":${id},\"target\":{\"group\":\"${group}\"},\"waves\":[10,100],"
                                + "\"failureThresholdPercent\":10,\"includeLateJoiners\":false,\"force\":false}")
                        .text("target.group")
                        .other("releaseId", "target", "waves", "failureThresholdPercent", "includeLateJoiners", "force"),
                of("GET", "/api/v1/rollouts", ADMIN).query("releaseId", "state", "page", "size"),
                of("GET", "/api/v1/rollouts/{id}", ADMIN),
                of("GET", "/api/v1/rollouts/{id}/boxes", ADMIN).query("state", "page", "size"),
                of("POST", "/api/v1/rollouts/{id}/halt", ADMIN),
                of("POST", "/api/v1/rollouts/{id}/resume", ADMIN),
                of("GET", "/ota/v1/download/{token}/{name}", NONE),
                // internal API of the edges
                of("POST", "/internal/v1/register", EDGE)
                        .body("{\"publicKey\":\"${newKey}\",\"edgeId\":\"edge-1\",\"realIp\":\"203.0.113.7\","
                                + "\"realPort\":40000,\"reconnect\":false,\"hello\":{\"groupName\":\"${group}\","
                                + "\"idString\":\"box-hostile\",\"macAddress\":\"02:00:00:00:00:01\","
                                + "\"requestedSpnIp\":null,\"requestedMask\":16,\"listenPort\":51820,"
                                + "\"endpointPort\":51820,\"allowedIps\":\"10.1.2.1/32\",\"firmwareVersion\":\"3.0.1\","
                                + "\"enrolmentToken\":null}}")
                        .text("publicKey", "realIp", "hello.groupName", "hello.macAddress", "hello.requestedSpnIp",
                                "hello.allowedIps")
                        .other("realPort", "reconnect", "hello", "hello.requestedMask", "hello.listenPort",
                                "hello.endpointPort")
                        .free("edgeId", "hello.idString", "hello.firmwareVersion", "hello.enrolmentToken"),
                of("POST", "/internal/v1/register-batch", EDGE)
                        .body("{\"registrations\":[{\"publicKey\":\"${newKey}\",\"edgeId\":\"edge-1\","
                                + "\"realIp\":\"203.0.113.7\",\"realPort\":40000,\"reconnect\":false,\"hello\":{"
                                + "\"groupName\":\"${group}\",\"idString\":\"box-hostile\",\"macAddress\":\"02:00:00:00:00:01\","
                                + "\"requestedSpnIp\":null,\"requestedMask\":16,\"listenPort\":51820,"
                                + "\"endpointPort\":51820,\"allowedIps\":\"10.1.2.1/32\",\"firmwareVersion\":\"3.0.1\","
                                + "\"enrolmentToken\":null}}]}")
                        .text("registrations.0.publicKey", "registrations.0.realIp", "registrations.0.hello.groupName",
                                "registrations.0.hello.macAddress", "registrations.0.hello.requestedSpnIp",
                                "registrations.0.hello.allowedIps")
                        .other("registrations", "registrations.0", "registrations.0.realPort", "registrations.0.reconnect",
                                "registrations.0.hello", "registrations.0.hello.requestedMask",
                                "registrations.0.hello.listenPort", "registrations.0.hello.endpointPort")
                        .free("registrations.0.edgeId", "registrations.0.hello.idString",
                                "registrations.0.hello.firmwareVersion", "registrations.0.hello.enrolmentToken"),
                of("POST", "/internal/v1/presence", EDGE)
                        .body("{\"edgeId\":\"edge-1\",\"heartbeats\":[{\"publicKey\":\"${publicKey}\","
                                + "\"realIp\":\"203.0.113.7\",\"realPort\":40000,\"at\":\"2026-11-25T00:00:00Z\"}]}")
                        .text("heartbeats.0.publicKey", "heartbeats.0.realIp", "heartbeats.0.at")
                        .other("heartbeats.0", "heartbeats.0.realPort")
                        .free("edgeId"),
                keyAndEdge("/internal/v1/bye"),
                of("POST", "/internal/v1/cancel-ip", EDGE)
                        .body("{\"publicKey\":\"${publicKey}\"}")
                        .text("publicKey"),
                of("POST", "/internal/v1/peers", EDGE)
                        .body("{\"publicKey\":\"${publicKey}\",\"page\":0}")
                        .text("publicKey").other("page"),
                of("POST", "/internal/v1/spn-info", EDGE)
                        .body("{\"publicKey\":\"${publicKey}\",\"endpointHost\":\"203.0.113.7\",\"endpointPort\":51820,"
                                + "\"allowedIps\":\"10.1.2.1/32\",\"listenPort\":51820}")
                        .text("publicKey", "endpointHost", "allowedIps").other("endpointPort", "listenPort"),
                of("POST", "/internal/v1/housekeeping", EDGE),
                of("POST", "/internal/v1/ota/status", EDGE)
                        .body("{\"publicKey\":\"${publicKey}\",\"releaseId\":${id},\"version\":\"1.0.0\","
                                + "\"state\":\"downloading\",\"progressPercent\":10,\"message\":\"ok\"}")
                        .text("publicKey", "state").other("releaseId", "progressPercent").free("version", "message"),
                keyAndEdge("/internal/v1/commands/lease"),
                of("POST", "/internal/v1/commands/result", EDGE)
                        .body("{\"publicKey\":\"${publicKey}\",\"commandId\":${id},\"state\":\"succeeded\","
                                + "\"message\":\"ok\"}")
                        .text("publicKey", "state").other("commandId").free("message"),
                of("POST", "/internal/v1/commands/lease-batch", EDGE)
                        .body("{\"edgeId\":\"edge-1\",\"leases\":[{\"publicKey\":\"${publicKey}\",\"requestId\":\"r-1\"}]}")
                        .text("leases.0.publicKey").other("leases").free("edgeId", "leases.0.requestId"),
                of("POST", "/internal/v1/commands/result-batch", EDGE)
                        .body("{\"results\":[{\"publicKey\":\"${publicKey}\",\"commandId\":${id},\"state\":\"succeeded\","
                                + "\"message\":\"ok\"}]}")
                        .text("results.0.publicKey", "results.0.state").other("results", "results.0.commandId")
                        .free("results.0.message"),
                of("POST", "/internal/v1/commands/pending", EDGE)
                        .body("{\"edgeId\":\"edge-1\",\"after\":\"\"}")
                        .text("after").free("edgeId"));
    }
}
