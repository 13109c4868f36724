package dev.triggerlayer.benchmarks;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.UUID;

/** The baseline of the gateway benchmark: the same HTTP stack answering without any work. */
@Path("/bare")
public class BareEndpoint {

    @GET
    public Response bare() {
        String id = UUID.randomUUID().toString();
        return Response.ok(Map.of("RequestId", id, "Success", true), MediaType.APPLICATION_JSON_TYPE).header("x-acs-request-id", id).build();
    }
}
