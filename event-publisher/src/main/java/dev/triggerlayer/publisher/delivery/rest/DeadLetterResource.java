package dev.triggerlayer.publisher.delivery.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.publisher.delivery.model.DeadLetterView;
import dev.triggerlayer.publisher.delivery.service.DeadLetterService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/subscriptions/{subscriptionId}/dead-letters")
@Tag(name = "Dead letters")
public class DeadLetterResource {

    private final DeadLetterService deadLetters;

    public DeadLetterResource(DeadLetterService deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(summary = "Events the subscription could not deliver, oldest first (status DEAD, REDRIVING or REDRIVEN)")
    public Uni<List<DeadLetterView>> list(@PathParam("subscriptionId") String subscriptionId,
                                          @QueryParam("status") String status, @QueryParam("limit") String limit) {
        return deadLetters.list(Params.id("subscriptionId", subscriptionId), status, limit);
    }

    @GET
    @Path("{deadLetterId}")
    public Uni<DeadLetterView> get(@PathParam("subscriptionId") String subscriptionId, @PathParam("deadLetterId") String id) {
        return deadLetters.get(Params.id("subscriptionId", subscriptionId), Params.id("deadLetterId", id));
    }

    @POST
    @Path("{deadLetterId}/redrive")
    @Operation(summary = "Deliver the event again, in the background, to the subscription's current target")
    public Uni<Response> redrive(@PathParam("subscriptionId") String subscriptionId, @PathParam("deadLetterId") String id) {
        return deadLetters.redrive(Params.id("subscriptionId", subscriptionId), Params.id("deadLetterId", id))
                .map(v -> Response.accepted(v).build());
    }
}
