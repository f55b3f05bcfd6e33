package io.starconsole.edge.relay;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.starconsole.edge.EdgeConfig;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Command leases and results relayed in batches: the ASK_USER_CMDs (and the results) that wait at a
 * moment go to the functions in one call each ({@code commands/lease-batch},
 * {@code commands/result-batch}), answered per box. A lone request goes at once: there is no
 * gathering wait, only a limit on calls in flight ({@code command-calls-in-flight}) while which
 * requests gather by themselves. Each lease carries
 * its own request id, the same on the client's retries of the call, so a retried batch is answered
 * with what its first try leased.
 */
@Singleton
public class CommandRelay {

    private final BatchedRelay<LeaseEntry, LeaseAnswer> leases;
    private final BatchedRelay<RelayModels.CommandResult, ResultAnswer> results;

    public CommandRelay(FunctionsClient functions, EdgeIdentity identity, EdgeConfig config) {
        EdgeConfig.Functions settings = config.functions();
        String edgeId = identity.id();
        this.leases = BatchedRelay.<LeaseEntry, LeaseAnswer>calling(entries -> functions.post("commands/lease-batch",
                        new LeaseBatchRequest(edgeId, entries), LeaseBatch.class, settings.commandBatchTimeout())
                        .thenApply(LeaseBatch::leases))
                .entriesPerCall(settings.commandBatchSize())
                .inFlight(settings.commandCallsInFlight(), settings.maxLeasesInFlight())
                .build();
        this.results = BatchedRelay.<RelayModels.CommandResult, ResultAnswer>calling(entries -> functions.post(
                        "commands/result-batch", new ResultBatchRequest(entries), ResultBatch.class,
                        settings.commandBatchTimeout()).thenApply(ResultBatch::results))
                .entriesPerCall(settings.commandBatchSize())
                .inFlight(settings.commandCallsInFlight(), settings.commandBatchSize() * settings.commandCallsInFlight())
                .build();
    }

    /** The box's next command, leased to it (the answer's {@code error} set: not leased now). */
    public CompletableFuture<LeaseAnswer> lease(String boxKey) {
        return leases.submit(new LeaseEntry(boxKey, UUID.randomUUID().toString()));
    }

    /** The box's result; the answer's {@code error} is set when it was not recorded. */
    public CompletableFuture<ResultAnswer> result(RelayModels.CommandResult result) {
        return results.submit(result);
    }

    /** ASK_USER_CMDs not yet sent to the functions. */
    public int leasesWaiting() {
        return leases.waiting();
    }

    public record LeaseEntry(String publicKey, String requestId) {
    }

    public record LeaseBatchRequest(String edgeId, List<LeaseEntry> leases) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LeaseBatch(List<LeaseAnswer> leases) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LeaseAnswer(String publicKey, RelayModels.LeasedCommand command, boolean morePending,
                              EntryError error) {

        /** As the single lease call answers it. */
        public RelayModels.Lease lease() {
            return new RelayModels.Lease(command, morePending);
        }
    }

    public record ResultBatchRequest(List<RelayModels.CommandResult> results) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResultBatch(List<ResultAnswer> results) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResultAnswer(String publicKey, Long commandId, EntryError error) {
    }

    /** Why the functions did not carry out one entry ({@code status}: what the single call would have answered). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EntryError(int status, String code, String message) {
    }
}
