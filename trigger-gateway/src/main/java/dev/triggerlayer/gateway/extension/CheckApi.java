package dev.triggerlayer.gateway.extension;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.gateway.rpc.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import java.util.Map;

/**
 * The scheduler's extension-check API as the gateway calls it, with its token's
 * {@code check-answers} role. Its refusals become the callbacks' documented codes
 * (docs/errors.md, "Extension callbacks").
 */
@RegisterRestClient(configKey = "scheduler")
@Path("/api/v1/extension-checks")
public interface CheckApi {

    @POST
    @Path("{id}/verdicts")
    Uni<JsonNode> verdict(@PathParam("id") String checkId, Map<String, Object> verdict);

    @ClientExceptionMapper
    static RuntimeException toApiError(Response response) {
        JsonNode body = response.hasEntity() ? response.readEntity(JsonNode.class) : null;
        String message = body == null ? "" : body.path("message").asText();
        return switch (response.getStatus()) {
            case 404 -> message.startsWith("extension check ")
                    ? new ApiException(404, "InvalidMessageId.NotFound", "The message does not exist: no extension check has this MessageId.")
                    : new ApiException(404, "InvalidExtensionCode.NotFound", "The extension does not exist.");
            case 403 -> new ApiException(403, "Forbidden.ExtensionOwner", "Only the tenant that registered the extension may answer for it.");
            case 409 -> switch (body == null ? "" : body.path("field").asText()) {
                case "ExtensionNotBound" -> new ApiException(400, "OperationDenied.ExtensionNotBound",
                        "The extension is not asked by this check: it does not cover this event in this workspace.");
                case "VerdictChanged" -> new ApiException(400, "OperationDenied.CheckResultChanged",
                        "The extension already answered this check differently; an answer cannot be changed.");
                case "CheckFinished" -> new ApiException(400, "OperationDenied.CheckFinished", "The check is already final: " + message);
                default -> new ApiException(503, "ServiceUnavailable", "The check store refused the answer; try again later.");
            };
            case 400 -> ApiException.invalid(body == null ? "?" : body.path("field").asText("?"), message);
            default -> new ApiException(503, "ServiceUnavailable", "The check store is not available; try again later.");
        };
    }
}
