package dev.triggerlayer.registry.region;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/regions")
@Tag(name = "Regions")
public class RegionResource {

    private final RegionService regions;

    public RegionResource(RegionService regions) {
        this.regions = regions;
    }

    @POST
    public Uni<Response> create(@Valid @NotNull RegionInput input) {
        return regions.create(input).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    public Uni<List<RegionView>> list() {
        return regions.list();
    }

    @GET
    @Path("{id}")
    public Uni<RegionView> get(@PathParam("id") String id) {
        return regions.get(id);
    }

    @PUT
    @Path("{id}")
    public Uni<RegionView> update(@PathParam("id") String id, @Valid @NotNull RegionInput input) {
        return regions.update(id, input);
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return regions.delete(id).replaceWith(Response.noContent().build());
    }
}
