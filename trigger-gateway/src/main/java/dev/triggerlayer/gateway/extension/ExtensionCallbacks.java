package dev.triggerlayer.gateway.extension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.auth.Caller;
import dev.triggerlayer.gateway.rpc.ApiException;
import dev.triggerlayer.gateway.rpc.RpcParams;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The extensions' answers (reference 004; docs/extensions.md): {@code UpdateWorkbenchEventResult}
 * (Operation Center), {@code UpdateIDEEventResult} (Data Studio) and {@code CallbackExtension}
 * (every other module), all Version 2020-05-18, signed like every call. The signer's tenant is
 * the one that may answer for the extension; the scheduler holds the check and decides.
 * Idempotent: the same answer again succeeds, a different one is refused.
 */
@ApplicationScoped
public class ExtensionCallbacks {

    static final Set<String> WORKBENCH = Set.of("MessageId", "ExtensionCode", "CheckResult", "CheckResultTip");
    static final Set<String> CALLBACK = Set.of("MessageId", "ExtensionCode", "CheckResult", "CheckMessage");

    private final CheckClient checks;
    private final ObjectMapper json;

    public ExtensionCallbacks(CheckClient checks, ObjectMapper json) {
        this.checks = checks;
        this.json = json;
    }

    public Uni<ObjectNode> answer(String action, Caller caller, RpcParams params) {
        boolean callbackExtension = action.equals("CallbackExtension");
        params.onlyThese(action, callbackExtension ? CALLBACK : WORKBENCH);
        String messageId = required(params, "MessageId");
        String code = required(params, "ExtensionCode");
        String result = required(params, "CheckResult");
        if (!Set.of("OK", "WARN", "FAIL").contains(result)) {
            throw ApiException.invalid("CheckResult", "it must be OK, WARN or FAIL.");
        }
        String tip = params.string(callbackExtension ? "CheckMessage" : "CheckResultTip");
        if (callbackExtension && result.equals("FAIL") && tip == null) {
            throw ApiException.missing("CheckMessage");
        }
        if (tip != null && tip.length() > 2048) {
            throw ApiException.invalid(callbackExtension ? "CheckMessage" : "CheckResultTip", "it is longer than 2048 characters.");
        }
        try {
            UUID.fromString(messageId);
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, "InvalidMessageId.NotFound", "The message does not exist: no extension check has this MessageId.");
        }
        Map<String, Object> verdict = new HashMap<>(Map.of("extensionCode", code, "checkResult", result, "callerTenantId", caller.tenantId()));
        if (tip != null) {
            verdict.put("tip", tip);
        }
        return send(messageId, verdict).map(view -> {
            ObjectNode out = json.createObjectNode();
            // The answer bodies of the official models: Success is a Boolean for the workbench, a String for CallbackExtension, absent for the IDE.
            switch (action) {
                case "UpdateWorkbenchEventResult" -> out.put("Success", true);
                case "CallbackExtension" -> out.put("Success", "true");
                default -> {
                }
            }
            return out;
        });
    }

    private Uni<com.fasterxml.jackson.databind.JsonNode> send(String messageId, Map<String, Object> verdict) {
        return checks.verdict(messageId, verdict).onFailure().transform(t -> t instanceof ApiException api ? api
                : new ApiException(503, "ServiceUnavailable", "The check store is not reachable; try again later."));
    }

    private static String required(RpcParams params, String name) {
        String v = params.string(name);
        if (v == null) {
            throw ApiException.missing(name);
        }
        if (v.length() > 128) {
            throw ApiException.invalid(name, "it is longer than 128 characters.");
        }
        return v;
    }
}
