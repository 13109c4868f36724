package dev.triggerlayer.publisher.subscription.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.publisher.subscription.model.SubscriptionInput;
import dev.triggerlayer.publisher.subscription.model.SubscriptionView;
import dev.triggerlayer.publisher.subscription.service.SubscriptionService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/subscriptions")
@Tag(name = "Subscriptions")
public class SubscriptionResource {

    private final SubscriptionService subscriptions;

    public SubscriptionResource(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    @POST
    @Operation(summary = "Subscribe a tenant to its events; an HTTP target's signing secret is in this answer only")
    public Uni<Response> create(@Valid @NotNull SubscriptionInput input) {
        return subscriptions.create(input).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    @Operation(summary = "All subscriptions, or those of one tenant")
    public Uni<List<SubscriptionView>> list(@QueryParam("tenantId") String tenantId) {
        return subscriptions.list(Params.optionalId("tenantId", tenantId));
    }

    @GET
    @Path("{subscriptionId}")
    public Uni<SubscriptionView> get(@PathParam("subscriptionId") String id) {
        return subscriptions.get(Params.id("subscriptionId", id));
    }

    @PUT
    @Path("{subscriptionId}")
    @Operation(summary = "Change name, workspace, filter or target (tenant and bus stay)")
    public Uni<SubscriptionView> update(@PathParam("subscriptionId") String id, @Valid @NotNull SubscriptionInput input) {
        return subscriptions.update(Params.id("subscriptionId", id), input);
    }

    @DELETE
    @Path("{subscriptionId}")
    public Uni<Response> delete(@PathParam("subscriptionId") String id) {
        return subscriptions.delete(Params.id("subscriptionId", id)).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{subscriptionId}/rotate-secret")
    @Operation(summary = "Replace an HTTP subscription's signing secret; the new one is in this answer only")
    public Uni<SubscriptionView> rotateSecret(@PathParam("subscriptionId") String id) {
        return subscriptions.rotateSecret(Params.id("subscriptionId", id));
    }

    @POST
    @Path("{subscriptionId}/replay")
    @Operation(summary = "Deliver again the events the subscription's bus received since 'from' (RFC 3339)")
    public Uni<Response> replay(@PathParam("subscriptionId") String id, @QueryParam("from") String from) {
        long subscriptionId = Params.id("subscriptionId", id);
        return subscriptions.replay(subscriptionId, Params.timestamp("from", from))
                .map(v -> Response.accepted(v).build());
    }
}
