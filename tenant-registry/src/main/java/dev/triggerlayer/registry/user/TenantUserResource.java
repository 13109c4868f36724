package dev.triggerlayer.registry.user;

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
@Path("/api/v1/tenants/{tenantId}/users")
@Tag(name = "Users")
public class TenantUserResource {

    private final UserService users;

    public TenantUserResource(UserService users) {
        this.users = users;
    }

    @POST
    public Uni<Response> create(@PathParam("tenantId") String tenantId, @Valid @NotNull UserInput input) {
        return users.create(Params.id("tenantId", tenantId), input)
                .map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    public Uni<List<UserView>> list(@PathParam("tenantId") String tenantId) {
        return users.list(Params.id("tenantId", tenantId));
    }
}
