package dev.triggerlayer.gateway.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.gateway.rpc.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import java.util.Map;

/**
 * The scheduler's task instance query API, as the gateway calls it with its read-only token
 * ({@code quarkus.rest-client.scheduler.*}). Its errors become the gateway's documented codes.
 */
@RegisterRestClient(configKey = "scheduler")
@Path("/api/v1/instances")
public interface SchedulerApi {

    @GET
    @Path("{id}")
    Uni<JsonNode> instance(@PathParam("id") long id);

    @GET
    Uni<JsonNode> instances(@RestQuery Map<String, String> query);

    /** The scheduler's answer for a request the gateway already checked: only "not found" is the caller's business. */
    @ClientExceptionMapper
    static RuntimeException toApiError(Response response) {
        if (response.getStatus() == 404) {
            return new ApiException(404, "InvalidTaskInstance.NotFound", "The task instance does not exist.");
        }
        if (response.getStatus() == 400) {
            JsonNode body = response.hasEntity() ? response.readEntity(JsonNode.class) : null;
            String field = body == null ? "?" : body.path("field").asText("?");
            return ApiException.invalid(field, body == null ? "refused by the instance store" : body.path("message").asText());
        }
        return new ApiException(503, "ServiceUnavailable", "The instance store is not available; try again later.");
    }
}
