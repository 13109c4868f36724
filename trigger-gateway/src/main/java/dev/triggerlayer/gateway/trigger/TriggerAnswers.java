package dev.triggerlayer.gateway.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.rpc.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a trigger's outcome means to the caller: triggered and retained are successes (reference
 * 001: a retained trigger fires later), every refusal is an error with its documented code
 * (docs/errors.md).
 */
@ApplicationScoped
public class TriggerAnswers {

    private final ObjectMapper json;

    public TriggerAnswers(ObjectMapper json) {
        this.json = json;
    }

    /** The answer body for a scheduler outcome, or the error it stands for. */
    public ObjectNode answer(JsonNode outcome) {
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
        throw refusal(code, message);
    }

    /** The documented error of a scheduler refusal code. */
    static ApiException refusal(String code, String message) {
        return switch (code) {
            case "InstanceNotFound" -> new ApiException(404, "InvalidTaskInstance.NotFound", message);
            case "NotHttpTriggerNode" -> new ApiException(400, "InvalidTaskInstance.NotHttpTriggerNode", message);
            case "InstanceFrozen" -> new ApiException(400, "OperationDenied.InstanceFrozen", message);
            case "AlreadyTriggered" -> new ApiException(400, "OperationDenied.AlreadyTriggered", message);
            case "InstanceFinished" -> new ApiException(400, "OperationDenied.InstanceFinished", message);
            case "RetentionExpired" -> new ApiException(400, "OperationDenied.TriggerExpired", message);
            case "InstanceNotTriggerable" -> new ApiException(400, "OperationDenied.InstanceNotTriggerable", message);
            case "BizDateMismatch" -> new ApiException(400, "InvalidParameter.BizDate", message);
            default -> new ApiException(400, "OperationDenied", message);
        };
    }
}
