package dev.triggerlayer.registry.tenant;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
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
@Path("/api/v1/tenants")
@Tag(name = "Tenants")
public class TenantResource {

    private final TenantService tenants;

    public TenantResource(TenantService tenants) {
        this.tenants = tenants;
    }

    @POST
    public Uni<Response> create(@Valid @NotNull TenantInput input) {
        return tenants.create(input).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    public Uni<List<TenantView>> list() {
        return tenants.list();
    }

    @GET
    @Path("{tenantId}")
    public Uni<TenantView> get(@PathParam("tenantId") String tenantId) {
        return tenants.get(Params.id("tenantId", tenantId));
    }

    @PUT
    @Path("{tenantId}")
    public Uni<TenantView> update(@PathParam("tenantId") String tenantId, @Valid @NotNull TenantInput input) {
        return tenants.update(Params.id("tenantId", tenantId), input);
    }

    @DELETE
    @Path("{tenantId}")
    public Uni<Response> delete(@PathParam("tenantId") String tenantId) {
        return tenants.delete(Params.id("tenantId", tenantId)).replaceWith(Response.noContent().build());
    }
}
