package dev.triggerlayer.registry.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The scheduler's extension-check API for other services' operations (its token: role {@code extension-holds}). */
@Path("/api/v1")
public interface SchedulerChecksApi {

    /** 200 {@code {"state":"NotChecked"}}: apply now; 202 {@code {"state":"Checking","pendingOperationId":…}}: held. */
    @POST
    @Path("extension-holds")
    Uni<Response> hold(@HeaderParam("Authorization") String authorization, Map<String, Object> hold);

    @GET
    @Path("pending-operations/{id}")
    Uni<JsonNode> pending(@HeaderParam("Authorization") String authorization, @PathParam("id") String id);

    @POST
    @Path("pending-operations/{id}/outcome")
    Uni<JsonNode> outcome(@HeaderParam("Authorization") String authorization, @PathParam("id") String id, Map<String, Object> outcome);
}
