package io.starconsole.edge.relay;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/** The JSON of the functions' internal API ({@code /internal/v1}), as the edge sends and reads it. */
public final class RelayModels {

    private RelayModels() {
    }

    public record RegisterRequest(String publicKey, String edgeId, String realIp, Integer realPort, boolean reconnect,
                                  Hello hello) {
    }

    public record Hello(String groupName, String idString, String macAddress, String requestedSpnIp,
                        Integer requestedMask, Integer listenPort, Integer endpointPort, String allowedIps,
                        String firmwareVersion, String enrolmentToken) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RegisterResult(String outcome, Integer boxId, String spnIp, String mask, String nokReason,
                                 String message, boolean commandsPending) {
    }

    public record Heartbeat(String publicKey, String realIp, Integer realPort, Instant at) {
    }

    public record HeartbeatBatch(String edgeId, List<Heartbeat> heartbeats) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    /** {@code boxesNotServed}: absent from functions older than the edge (then no session is ended). */
    public record HeartbeatResult(int accepted, List<String> boxesWithWork, List<String> boxesNotServed) {
    }

    public record ByeRequest(String publicKey, String edgeId) {
    }

    public record CancelIpRequest(String publicKey) {
    }

    public record PeersRequest(String publicKey, Integer page) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PeerPage(int page, int totalPages, List<Peer> peers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Peer(String publicKey, String spnIp, String allowedIps, String endpoint, String groupName) {
    }

    public record SpnInfo(String publicKey, String endpointHost, Integer endpointPort, String allowedIps,
                          Integer listenPort) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Lease(LeasedCommand command, boolean morePending) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LeasedCommand(long commandId, int type, int priority, String target, String contents) {
    }

    /** {@code state}: succeeded, failed or rolled_back. */
    public record CommandResult(String publicKey, long commandId, String state, String message) {
    }

    /** {@code waitMillis}: the registry holds the answer up to this long until there is work. */
    public record PendingRequest(String edgeId, String after, long waitMillis) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pending(String cursor, List<String> boxes) {
    }

    /** OTA_STATUS: {@code state} is pending, downloading, verifying, installing, rebooting, succeeded, failed or rolled_back. */
    public record OtaStatusReport(String publicKey, String releaseId, String version, String state,
                                  int progressPercent, String message) {
    }
}
