package dev.triggerlayer.gateway.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.auth.Authenticator;
import dev.triggerlayer.gateway.auth.Caller;
import dev.triggerlayer.gateway.auth.RateLimiter;
import dev.triggerlayer.gateway.auth.Verified;
import dev.triggerlayer.gateway.extension.ExtensionCallbacks;
import dev.triggerlayer.gateway.query.TaskInstanceQueries;
import dev.triggerlayer.gateway.signature.SignatureScheme;
import dev.triggerlayer.gateway.signature.SignedRequest;
import dev.triggerlayer.gateway.trigger.TriggerCommands;
import dev.triggerlayer.gateway.trigger.TriggerFlow;
import dev.triggerlayer.gateway.trigger.TriggerMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;

/**
 * Turns a signed RPC request into the operation it signed: the action and version are read from
 * the field the request's signature covers (V1: the {@code Action}/{@code Version} parameters;
 * V3: the {@code x-acs-action}/{@code x-acs-version} headers), and a request whose other source
 * says something else is refused, so an unsigned header can never redirect a signed call. Then:
 * signature, throttling (before the nonce is claimed, so a throttled request leaves nothing
 * behind), nonce, and the operation itself.
 */
@ApplicationScoped
public class RpcDispatcher {

    static final String V2024 = "2024-05-18", V2020 = "2020-05-18";
    /** Every action this endpoint serves and its API version. */
    static final Map<String, String> VERSIONS = Map.of(
            "TriggerSchedulerTaskInstance", V2024, "GetTaskInstance", V2024, "ListTaskInstances", V2024, "RunTriggerNode", V2020,
            "UpdateWorkbenchEventResult", V2020, "UpdateIDEEventResult", V2020, "CallbackExtension", V2020);

    /** The operation a request names, from the field its signature scheme signs. */
    record Operation(String action, String version) {
    }

    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;
    private final TriggerCommands commands;
    private final TriggerFlow triggers;
    private final TaskInstanceQueries queries;
    private final ExtensionCallbacks callbacks;
    private final TriggerMetrics metrics;
    private final Clock clock;

    public RpcDispatcher(Authenticator authenticator, RateLimiter rateLimiter, TriggerCommands commands, TriggerFlow triggers,
                         TaskInstanceQueries queries, ExtensionCallbacks callbacks, TriggerMetrics metrics, Clock clock) {
        this.callbacks = callbacks;
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.commands = commands;
        this.triggers = triggers;
        this.queries = queries;
        this.clock = clock;
    }

    /** Runs what the request signed; {@code clientAddress} is the caller's address (failed authentications are limited by it). */
    public Uni<ObjectNode> call(SignedRequest request, String clientAddress) {
        // The HTTP request's span: everything the call causes belongs to its trace.
        Context trace = Context.current();
        RpcParams params = RpcParams.of(request.queryParams(), request.formParams());
        Operation op = operation(request, params);
        Verified verified = authenticator.verify(request, clientAddress);
        if (!op.action().equals(verified.signed().action()) || !op.version().equals(verified.signed().version())) {
            // Cannot happen for a request that verified (the operation comes from the signed field); kept as the invariant.
            throw ApiException.invalid("Action", "it does not match the signed action.");
        }
        long waitMillis = rateLimiter.acquire(verified.caller().accessKeyId());
        if (waitMillis > 0) {
            throw ApiException.throttled("Request was denied due to user flow control.", waitMillis);
        }
        Span.fromContext(trace).setAttribute("triggerlayer.action", op.action())
                .setAttribute("triggerlayer.access_key_id", verified.caller().accessKeyId())
                .setAttribute("triggerlayer.tenant_id", verified.caller().tenantId());
        return authenticator.claimNonce(verified, clientAddress).chain(caller -> {
            commands.reportUsage(caller.accessKeyId(), clock.instant());
            return dispatch(op.action(), caller, params, trace);
        });
    }

    /** The action and version as signed; a disagreeing unsigned copy is refused, never preferred. */
    static Operation operation(SignedRequest request, RpcParams params) {
        String headerAction = request.headers().get("x-acs-action");
        String headerVersion = request.headers().get("x-acs-version");
        String paramAction = params.string("Action");
        String paramVersion = params.string("Version");
        boolean v3 = SignatureScheme.detect(request).orElse(null) == SignatureScheme.V3_ACS3_HMAC_SHA256;
        String action = v3 ? headerAction : paramAction;
        String version = v3 ? headerVersion : paramVersion;
        String otherAction = v3 ? paramAction : headerAction;
        String otherVersion = v3 ? paramVersion : headerVersion;
        if (action == null) {
            throw ApiException.missing(v3 ? "x-acs-action" : "Action");
        }
        if (otherAction != null && !otherAction.equals(action)) {
            throw ApiException.invalid(v3 ? "Action" : "x-acs-action", "it names " + abbreviate(otherAction) + " but the request is signed for "
                    + abbreviate(action) + ".");
        }
        if (otherVersion != null && !otherVersion.equals(version)) {
            throw ApiException.invalid(v3 ? "Version" : "x-acs-version", "it differs from the signed API version.");
        }
        String expected = VERSIONS.get(action);
        if (expected == null) {
            throw new ApiException(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
        }
        if (!expected.equals(version)) {
            throw new ApiException(400, "InvalidVersion", "Specified parameter Version is not valid: " + action + " has version " + expected + ".");
        }
        return new Operation(action, version);
    }

    private Uni<ObjectNode> dispatch(String action, Caller caller, RpcParams params, Context trace) {
        return switch (action) {
            case "TriggerSchedulerTaskInstance" -> metrics.measured(action, Uni.createFrom().deferred(() -> triggers.trigger(caller,
                    new TriggerFlow.Request(action, params.requiredLong("TaskId"), params.env("EnvType"), params.requiredTime("TriggerTime"),
                            null, null, params.clientToken()), trace)));
            case "RunTriggerNode" -> metrics.measured(action, Uni.createFrom().deferred(() -> triggers.trigger(caller,
                    new TriggerFlow.Request(action, params.requiredLong("NodeId"), "Prod", params.requiredTime("CycleTime"),
                            params.requiredLong("AppId"), params.optionalLong("BizDate"), params.clientToken()), trace)));
            case "GetTaskInstance" -> queries.get(caller, params);
            case "ListTaskInstances" -> queries.list(caller, params);
            case "UpdateWorkbenchEventResult", "UpdateIDEEventResult", "CallbackExtension" -> callbacks.answer(action, caller, params);
            default -> throw new IllegalStateException("unrouted action " + action);
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
