package dev.triggerlayer.gateway.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.auth.Authorizer;
import dev.triggerlayer.gateway.auth.Caller;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.rpc.ApiException;
import dev.triggerlayer.kit.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One trigger call, from the node's authorisation to the caller's answer: the command goes to the
 * scheduler and its outcome comes back. With a ClientToken, a repeat with the same parameters
 * returns the stored outcome or re-sends the same command id (the scheduler applies it at most
 * once); other parameters under the same token are refused.
 */
@ApplicationScoped
public class TriggerFlow {

    /** What a trigger call asks for, as signed. */
    public record Request(String action, long taskId, String env, long triggerTime, Long appId, Long bizDate, String clientToken) {

        /** What a ClientToken is bound to: a retry must ask for exactly the same. */
        String hash() {
            return sha256(action + "|" + taskId + "|" + env + "|" + triggerTime + "|" + appId + "|" + bizDate);
        }
    }

    private final GatewayConfig config;
    private final Directory directory;
    private final Authorizer authorizer;
    private final TriggerCommands commands;
    private final ClientTokens clientTokens;
    private final TriggerAnswers answers;
    private final ObjectMapper json;
    private final Clock clock;
    private final Tracing tracing;
    private final dev.triggerlayer.gateway.directory.HomeRegions homes;

    public TriggerFlow(GatewayConfig config, Directory directory, Authorizer authorizer, TriggerCommands commands, ClientTokens clientTokens,
                       TriggerAnswers answers, ObjectMapper json, Clock clock, Tracing tracing, dev.triggerlayer.gateway.directory.HomeRegions homes) {
        this.homes = homes;
        this.config = config;
        this.directory = directory;
        this.authorizer = authorizer;
        this.commands = commands;
        this.clientTokens = clientTokens;
        this.answers = answers;
        this.json = json;
        this.clock = clock;
        this.tracing = tracing;
    }

    /**
     * @param trace the call's trace: the command and everything it causes belong to it; a
     *              ClientToken retry continues the trace of the token's first call instead (linked
     *              from this one), so one trigger is one trace however often it is retried
     */
    public Uni<ObjectNode> trigger(Caller caller, Request r, Context trace) {
        Directory.Node node = directory.node(r.taskId());
        if (node == null || !node.env().equals(r.env()) || (r.appId() != null && node.workspaceId() != r.appId())) {
            throw new ApiException(404, "InvalidTaskId.NotFound", "Node " + r.taskId() + " does not exist in " + r.env() + ".");
        }
        authorizer.mayTrigger(caller, node);
        String home = remoteHome(node.tenantId());
        if (r.clientToken() == null) {
            return send(command(UUID.randomUUID(), caller, r, home), trace).map(answers::answer);
        }
        String hash = r.hash();
        return clientTokens.claim(caller.accessKeyId(), r.clientToken(), hash, UUID.randomUUID(), clock.instant(),
                tracing.traceparent(trace)).chain(claim -> {
            if (!claim.requestHash().equals(hash)) {
                throw new ApiException(400, "IdempotentParameterMismatch",
                        "The ClientToken was used before with different parameters; use a new ClientToken.");
            }
            if (claim.outcome() != null) {
                return Uni.createFrom().item(answers.answer(read(claim.outcome())));
            }
            // First use, or a retry of a call whose outcome is not known yet: (re)send the same
            // command id, which the scheduler applies at most once.
            return send(command(claim.commandId(), caller, r, home), claim.created() ? trace : retried(claim, trace))
                    .call(outcome -> clientTokens.remember(caller.accessKeyId(), r.clientToken(), outcome.toString()))
                    .map(answers::answer);
        });
    }

    /**
     * The node's tenant's home region when it is not this gateway's (docs/federation.md), else
     * null: without a region of its own, or for a tenant without one, everything is local.
     */
    private String remoteHome(long tenantId) {
        return homes.remoteHome(tenantId).orElse(null);
    }

    private TriggerCommand command(UUID id, Caller caller, Request r, String home) {
        return new TriggerCommand(id, clock.instant(), r.action(), r.taskId(), r.env(), r.triggerTime(), r.appId(), r.bizDate(), caller.principal(),
                home, home == null ? null : config.federation().region().get());
    }

    /** A retry's command continues the first call's trace; the retry's own span records which trace that is. */
    private Context retried(ClientTokens.Claim claim, Context trace) {
        Context first = tracing.fromTraceparent(claim.traceParent());
        if (!Tracing.traced(first)) {
            return trace;
        }
        Span.fromContext(trace).setAttribute("triggerlayer.retry_of_trace", Span.fromContext(first).getSpanContext().getTraceId());
        return first;
    }

    private Uni<JsonNode> send(TriggerCommand command, Context trace) {
        Duration timeout = command.federated() ? config.federation().outcomeTimeout() : config.outcomeTimeout();
        return commands.send(command, timeout, trace)
                .onFailure(TriggerCommands.NotListening.class).transform(e -> new ApiException(503, "ServiceUnavailable",
                        "The gateway cannot read trigger outcomes right now; nothing was sent. Retry later."))
                .onFailure(TriggerCommands.OutcomeTimeout.class).transform(e -> new ApiException(503, "ServiceUnavailable",
                        command.federated()
                                ? "The trigger was accepted and is kept until its home region (" + command.homeRegion() + ") answers; "
                                + "no answer came in " + timeout.toSeconds() + " s (the link or the region may be down). Retry with the same "
                                + "ClientToken to learn its outcome; a retry never triggers twice."
                                : "The trigger was accepted but its outcome is not known yet. Retry with the same ClientToken to learn it; "
                                + "a retry never triggers twice."));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
