package dev.triggerlayer.gateway.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.auth.Authenticator;
import dev.triggerlayer.gateway.auth.Authorizer;
import dev.triggerlayer.gateway.auth.Caller;
import dev.triggerlayer.gateway.auth.RateLimiter;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.query.SchedulerClient;
import dev.triggerlayer.gateway.signature.SignatureFailure;
import dev.triggerlayer.gateway.signature.SignedRequest;
import dev.triggerlayer.gateway.trigger.ClientTokens;
import dev.triggerlayer.gateway.trigger.TriggerCommand;
import dev.triggerlayer.gateway.trigger.TriggerCommands;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The RPC-style OpenAPI endpoint the cloud SDKs call: {@code GET|POST /} with {@code Action} and
 * {@code Version} (parameters, or the {@code x-acs-action}/{@code x-acs-version} headers of V3),
 * business parameters in the query string or a form body, JSON answers, each with a RequestId.
 */
@Path("/")
@Tag(name = "OpenAPI (RPC style)")
public class RpcResource {

    private static final Logger LOG = Logger.getLogger(RpcResource.class);
    private static final String V2024 = "2024-05-18", V2020 = "2020-05-18";
    private static final Map<String, String> VERSIONS = Map.of(
            "TriggerSchedulerTaskInstance", V2024, "GetTaskInstance", V2024, "ListTaskInstances", V2024, "RunTriggerNode", V2020);

    private final GatewayConfig config;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final RateLimiter rateLimiter;
    private final Directory directory;
    private final TriggerCommands commands;
    private final ClientTokens clientTokens;
    private final SchedulerClient scheduler;
    private final ObjectMapper json;
    private final Clock clock;

    public RpcResource(GatewayConfig config, Authenticator authenticator, Authorizer authorizer, RateLimiter rateLimiter,
                       Directory directory, TriggerCommands commands, ClientTokens clientTokens, SchedulerClient scheduler,
                       ObjectMapper json, Clock clock) {
        this.config = config;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.rateLimiter = rateLimiter;
        this.directory = directory;
        this.commands = commands;
        this.clientTokens = clientTokens;
        this.scheduler = scheduler;
        this.json = json;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Signed RPC call with parameters in the query string")
    public Uni<Response> get(@Context HttpHeaders headers, @Context UriInfo uri) {
        return handle("GET", uri, headers, new byte[0]);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Signed RPC call with parameters in the query string and/or a form body")
    public Uni<Response> post(@Context HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        return handle("POST", uri, headers, body == null ? new byte[0] : body);
    }

    private Uni<Response> handle(String method, UriInfo uri, HttpHeaders httpHeaders, byte[] body) {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        return Uni.createFrom().deferred(() -> {
                    if (body.length > config.maxBodyBytes()) {
                        throw new ApiException(413, "RequestEntityTooLarge", "The request body is larger than " + config.maxBodyBytes() + " bytes.");
                    }
                    Map<String, String> headers = new HashMap<>();
                    for (var e : httpHeaders.getRequestHeaders().entrySet()) {
                        String name = e.getKey().toLowerCase(Locale.ROOT);
                        if (e.getValue().size() > 1 || headers.containsKey(name)) {
                            throw ApiException.invalid(name, "the header is given more than once");
                        }
                        headers.put(name, e.getValue().get(0));
                    }
                    SignedRequest request = SignedRequest.fromRaw(method, uri.getRequestUri().getRawPath(),
                            uri.getRequestUri().getRawQuery(), headers, body);
                    RpcParams params = RpcParams.of(request.queryParams(), request.formParams());
                    String action = headers.getOrDefault("x-acs-action", params.string("Action"));
                    String version = headers.getOrDefault("x-acs-version", params.string("Version"));
                    if (action == null) {
                        throw ApiException.missing("Action");
                    }
                    String expected = VERSIONS.get(action);
                    if (expected == null) {
                        throw new ApiException(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
                    }
                    if (!expected.equals(version)) {
                        throw new ApiException(400, "InvalidVersion", "Specified parameter Version is not valid: " + action + " has version " + expected + ".");
                    }
                    return authenticator.authenticate(request).chain(caller -> {
                        long waitMillis = rateLimiter.acquire(caller.accessKeyId());
                        if (waitMillis > 0) {
                            throw new ApiException(400, "Throttling.User", "Request was denied due to user flow control.",
                                    Map.of("x-acs-retry-after", String.valueOf(waitMillis)));
                        }
                        commands.reportUsage(caller.accessKeyId(), clock.instant());
                        return dispatch(action, caller, params);
                    });
                })
                .map(result -> {
                    ObjectNode answer = json.createObjectNode().put("RequestId", requestId);
                    answer.setAll(result);
                    return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).header("x-acs-request-id", requestId).build();
                })
                .onFailure().recoverWithItem(e -> error(requestId, e));
    }

    private Uni<ObjectNode> dispatch(String action, Caller caller, RpcParams params) {
        return switch (action) {
            case "TriggerSchedulerTaskInstance" -> trigger(caller, params, action, params.requiredLong("TaskId"),
                    params.env("EnvType"), params.requiredTime("TriggerTime"), null, null);
            case "RunTriggerNode" -> trigger(caller, params, action, params.requiredLong("NodeId"), "Prod",
                    params.requiredTime("CycleTime"), params.requiredLong("AppId"), params.optionalLong("BizDate"));
            case "GetTaskInstance" -> getTaskInstance(caller, params.requiredLong("Id"));
            default -> listTaskInstances(caller, params);
        };
    }

    private Uni<ObjectNode> trigger(Caller caller, RpcParams params, String action, long taskId, String env, long triggerTime,
                                    Long appId, Long bizDate) {
        String token = params.clientToken();
        Directory.Node node = directory.node(taskId);
        if (node == null || !node.env().equals(env) || (appId != null && node.workspaceId() != appId)) {
            throw new ApiException(404, "InvalidTaskId.NotFound", "Node " + taskId + " does not exist in " + env + ".");
        }
        authorizer.mayTrigger(caller, node);
        if (token == null) {
            return send(new TriggerCommand(UUID.randomUUID(), clock.instant(), action, taskId, env, triggerTime, appId, bizDate, caller.principal()))
                    .map(this::answer);
        }
        String hash = sha256(action + "|" + taskId + "|" + env + "|" + triggerTime + "|" + appId + "|" + bizDate);
        return clientTokens.claim(caller.accessKeyId(), token, hash, UUID.randomUUID(), clock.instant()).chain(claim -> {
            if (!claim.requestHash().equals(hash)) {
                throw new ApiException(400, "IdempotentParameterMismatch",
                        "The ClientToken was used before with different parameters; use a new ClientToken.");
            }
            if (claim.outcome() != null) {
                return Uni.createFrom().item(answer(read(claim.outcome())));
            }
            // First use, or a retry of a call whose outcome is not known yet: (re)send the same
            // command id, which the scheduler applies at most once.
            return send(new TriggerCommand(claim.commandId(), clock.instant(), action, taskId, env, triggerTime, appId, bizDate, caller.principal()))
                    .call(outcome -> clientTokens.remember(caller.accessKeyId(), token, outcome.toString()))
                    .map(this::answer);
        });
    }

    private Uni<JsonNode> send(TriggerCommand command) {
        return commands.send(command, config.outcomeTimeout())
                .onFailure(TriggerCommands.NotListening.class).transform(e -> new ApiException(503, "ServiceUnavailable",
                        "The gateway cannot read trigger outcomes right now; nothing was sent. Retry later."))
                .onFailure(TriggerCommands.OutcomeTimeout.class).transform(e -> new ApiException(503, "ServiceUnavailable",
                        "The trigger was accepted but its outcome is not known yet. Retry with the same ClientToken to learn it; "
                                + "a retry never triggers twice."));
    }

    /** Triggered and retained are successes (reference 001: a retained trigger fires later); refusals are errors. */
    private ObjectNode answer(JsonNode outcome) {
        String kind = outcome.path("outcome").asText();
        String code = outcome.path("code").asText();
        String message = outcome.path("message").asText();
        if (kind.equals("TRIGGERED") || kind.equals("RETAINED")) {
            ObjectNode ok = json.createObjectNode().put("Success", true).put("TriggerOutcome", kind.equals("TRIGGERED") ? "Triggered" : "Retained");
            if (kind.equals("RETAINED")) {
                ok.put("Reason", code).put("RetainedUntil", outcome.path("retainedUntil").asLong());
            }
            if (outcome.hasNonNull("taskInstanceId")) {
                ok.put("TaskInstanceId", outcome.path("taskInstanceId").asLong());
            }
            return ok;
        }
        throw switch (code) {
            case "InstanceNotFound" -> new ApiException(404, "InvalidTaskInstance.NotFound", message);
            case "NotHttpTriggerNode" -> new ApiException(400, "InvalidTaskInstance.NotHttpTriggerNode", message);
            case "InstanceFrozen" -> new ApiException(400, "OperationDenied.InstanceFrozen", message);
            case "AlreadyTriggered" -> new ApiException(400, "OperationDenied.AlreadyTriggered", message);
            case "InstanceFinished" -> new ApiException(400, "OperationDenied.InstanceFinished", message);
            case "RetentionExpired" -> new ApiException(400, "OperationDenied.TriggerExpired", message);
            default -> new ApiException(400, "OperationDenied", message);
        };
    }

    private Uni<ObjectNode> getTaskInstance(Caller caller, long id) {
        return scheduler.instance(id).map(instance -> {
            authorizer.mayRead(caller, instance.path("ProjectId").asLong());
            ObjectNode out = json.createObjectNode();
            out.set("Data", instance);
            return out;
        });
    }

    private Uni<ObjectNode> listTaskInstances(Caller caller, RpcParams params) {
        long projectId = params.requiredLong("ProjectId");
        authorizer.mayRead(caller, projectId);
        Map<String, String> query = params.pick("ProjectEnv", "BizDate", "TaskId", "Status", "TriggerTime", "SortBy", "PageNumber", "PageSize");
        query.put("ProjectId", String.valueOf(projectId));
        return scheduler.instances(query).map(body -> {
            ObjectNode out = json.createObjectNode();
            out.set("PagingInfo", body.path("PagingInfo"));
            return out;
        });
    }

    private Response error(String requestId, Throwable e) {
        ApiException api;
        if (e instanceof ApiException a) {
            api = a;
        } else if (e instanceof SignatureFailure f) {
            api = Authenticator.fromSignature(f);
        } else {
            LOG.errorf(e, "request %s failed unexpectedly", requestId);
            api = new ApiException(500, "InternalError", "The request processing has failed due to some unknown error.");
        }
        Response.ResponseBuilder r = Response.status(api.status())
                .entity(new ErrorBody(requestId, config.hostId(), api.code(), api.getMessage(), "docs/errors.md#" + api.code()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("x-acs-request-id", requestId);
        api.headers().forEach(r::header);
        return r.build();
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
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
