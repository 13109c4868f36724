package dev.triggerlayer.registry.bus;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/tenants/{tenantId}/event-buses")
@Tag(name = "Event buses")
public class EventBusResource {

    private final EventBusService buses;

    public EventBusResource(EventBusService buses) {
        this.buses = buses;
    }

    @POST
    public Uni<Response> create(@PathParam("tenantId") String tenantId, @Valid @NotNull EventBusInput input) {
        return buses.create(Params.id("tenantId", tenantId), input).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    public Uni<List<EventBusView>> list(@PathParam("tenantId") String tenantId) {
        return buses.list(Params.id("tenantId", tenantId));
    }

    @DELETE
    @Path("{name}")
    public Uni<Response> delete(@PathParam("tenantId") String tenantId, @PathParam("name") String name) {
        return buses.delete(Params.id("tenantId", tenantId), name).replaceWith(Response.noContent().build());
    }
}
