package io.starconsole.functions.edgeapi;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.box.BatchRegistration;
import io.starconsole.functions.box.EdgeInput;
import io.starconsole.functions.box.Heartbeats;
import io.starconsole.functions.box.PeerService;
import io.starconsole.functions.box.PresenceService;
import io.starconsole.functions.box.RegisterRequest;
import io.starconsole.functions.box.RegisterResult;
import io.starconsole.functions.box.RegistrationService;
import io.starconsole.functions.command.CommandQueue;
import io.starconsole.functions.command.CommandResults;
import io.starconsole.functions.command.FeedCursor;
import io.starconsole.functions.command.LeaseBatches;
import io.starconsole.functions.command.ResultBatches;
import io.starconsole.functions.command.WakeUpFeed;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.ota.OtaHealth;
import io.starconsole.functions.ota.RolloutEngine;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What the UDP edges relay from boxes. Only the edge secret opens these ({@code Authorization:
 * Bearer <edge secret>}, role {@code edge}); the edge has already proven each box's key.
 */
@Path("/internal/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.EDGE)
@Tag(name = "edge", description = "Internal API of the UDP edges")
public class EdgeResource {

    private final RegistrationService registrations;
    private final PresenceService presence;
    private final PeerService peers;
    private final CommandQueue commands;
    private final CommandResults results;
    private final OtaHealth ota;
    private final RolloutEngine rollouts;
    private final WakeUpFeed feed;
    private final LeaseBatches leaseBatches;
    private final ResultBatches resultBatches;
    private final BatchRegistration batchRegistrations;

    public EdgeResource(RegistrationService registrations, PresenceService presence, PeerService peers,
                        CommandQueue commands, CommandResults results, OtaHealth ota, RolloutEngine rollouts,
                        WakeUpFeed feed, LeaseBatches leaseBatches, ResultBatches resultBatches,
                        BatchRegistration batchRegistrations) {
        this.leaseBatches = leaseBatches;
        this.resultBatches = resultBatches;
        this.batchRegistrations = batchRegistrations;
        this.feed = feed;
        this.ota = ota;
        this.rollouts = rollouts;
        this.registrations = registrations;
        this.presence = presence;
        this.peers = peers;
        this.commands = commands;
        this.results = results;
    }

    /** BYE relayed by an edge. */
    public record ByeRequest(String publicKey, String edgeId) {
    }

    /** What one housekeeping run changed. */
    public record HousekeepingResult(int wentOffline, int leasesReclaimed, int commandDeliveriesSwept,
                                     int rolloutChanges) {
    }

    /** CANCEL_IP relayed by an edge. */
    public record CancelIpRequest(String publicKey) {
    }

    @POST
    @Path("/register")
    @Operation(summary = "HELLO: admit, upsert and assign an SPN IP")
    public Uni<RegisterResult> register(RegisterRequest request) {
        return registrations.register(request);
    }

    @POST
    @Path("/register-batch")
    @Operation(summary = "Many HELLOs in one call and one transaction; one answer per box, in order (a bad box is"
            + " refused alone)")
    public Uni<BatchRegistration.Answers> registerBatch(BatchRegistration.Batch batch) {
        return batchRegistrations.register(batch);
    }

    @POST
    @Path("/presence")
    @Operation(summary = "A batch of heartbeats: last seen, real address, online; which boxes have queued commands")
    public Uni<Heartbeats.Result> presence(Heartbeats.Batch batch) {
        return presence.apply(batch);
    }

    @POST
    @Path("/bye")
    @Operation(summary = "BYE: the box goes offline; its record and address stay")
    public Uni<Void> bye(ByeRequest request) {
        return request == null ? presence.bye(null, null) : presence.bye(request.publicKey(), request.edgeId());
    }

    @POST
    @Path("/cancel-ip")
    @Operation(summary = "CANCEL_IP: the box gives its SPN IP back (into cool-down)")
    public Uni<Void> cancelIp(CancelIpRequest request) {
        return presence.cancelIp(request == null ? null : request.publicKey());
    }

    @POST
    @Path("/peers")
    @Operation(summary = "ASK_SPN_INFO: one page of the peers of the box's group")
    public Uni<PeerService.PeerPage> peers(PeerService.PeersRequest request) {
        return peers.peers(request);
    }

    @POST
    @Path("/spn-info")
    @Operation(summary = "SND_SPN_INFO: what the box publishes to its peers")
    public Uni<Void> spnInfo(PeerService.SpnInfo info) {
        return peers.publish(info);
    }

    @POST
    @Path("/housekeeping")
    @Operation(summary = "Run the offline check, lease reclaim, queue sweep and rollout step now (for deployments without the in-process scheduler, e.g. Lambda)")
    public Uni<HousekeepingResult> housekeeping() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return presence.markSilentBoxesOffline(now).flatMap(offline -> presence.reclaimLeases(now)
                .flatMap(reclaimed -> commands.sweep(now)
                        .flatMap(swept -> rollouts.tick(now)
                                .onItem().transform(changed -> new HousekeepingResult(offline, reclaimed, swept, changed)))));
    }

    @POST
    @Path("/ota/status")
    @Operation(summary = "OTA_STATUS: the box's step of a firmware update (its rollout row; never success by itself)")
    public Uni<Void> otaStatus(OtaHealth.StatusReport report) {
        return ota.report(report);
    }

    @POST
    @Path("/commands/lease")
    @Operation(summary = "ASK_USER_CMD: lease the box's next due command (high priority first, FIFO within)")
    public Uni<CommandQueue.LeaseAnswer> lease(CommandQueue.LeaseRequest request) {
        if (request == null) {
            throw ApiException.badField("publicKey", "a JSON body is required");
        }
        EdgeInput.requireKey(request.publicKey());
        EdgeInput.requireEdgeId(request.edgeId());
        if (request.requestId() != null && (request.requestId().isEmpty() || request.requestId().length() > 64)) {
            throw ApiException.badField("requestId", "requestId must be 1 to 64 characters");
        }
        return commands.lease(request.publicKey(), request.edgeId(), request.requestId(), OffsetDateTime.now(ZoneOffset.UTC));
    }

    @POST
    @Path("/commands/result")
    @Operation(summary = "The box's result of a command: succeeded, failed or rolled_back (idempotent)")
    public Uni<Void> result(CommandResults.ResultRequest request) {
        return results.report(request);
    }

    @POST
    @Path("/commands/lease-batch")
    @Operation(summary = "ASK_USER_CMD of many boxes at once: each box answered as by /commands/lease, in request"
            + " order, or with its own error (at most " + LeaseBatches.MAX_BATCH + ")")
    public Uni<LeaseBatches.BatchAnswer> leaseBatch(LeaseBatches.BatchRequest request) {
        return leaseBatches.lease(request, OffsetDateTime.now(ZoneOffset.UTC));
    }

    @POST
    @Path("/commands/result-batch")
    @Operation(summary = "Results of many boxes at once, each idempotent as /commands/result, answered per entry"
            + " (at most " + ResultBatches.MAX_BATCH + ")")
    public Uni<ResultBatches.BatchAnswer> resultBatch(ResultBatches.BatchRequest request) {
        return resultBatches.report(request);
    }

    @POST
    @Path("/commands/pending")
    @Operation(summary = "Wake-up feed: this edge's boxes that got a queued command after the cursor;"
            + " held up to waitMillis (at most 20 s) until there are some")
    public Uni<CommandQueue.Pending> pending(CommandQueue.PendingRequest request) {
        if (request == null) {
            throw ApiException.badField("edgeId", "a JSON body is required");
        }
        EdgeInput.requireEdgeId(request.edgeId());
        FeedCursor after = FeedCursor.parse(request.after());
        long waitMillis = request.waitMillis() == null ? 0 : request.waitMillis();
        if (waitMillis < 0) {
            throw ApiException.badField("waitMillis", "waitMillis must be 0 (answer at once) or more");
        }
        return feed.pending(request.edgeId(), after, Duration.ofMillis(waitMillis));
    }
}
