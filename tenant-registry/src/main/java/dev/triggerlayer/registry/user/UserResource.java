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
@Path("/api/v1/users")
@Tag(name = "Users")
public class UserResource {

    private final UserService users;

    public UserResource(UserService users) {
        this.users = users;
    }

    @GET
    @Path("{userId}")
    public Uni<UserView> get(@PathParam("userId") String userId) {
        return users.get(Params.id("userId", userId));
    }

    @PUT
    @Path("{userId}")
    public Uni<UserView> update(@PathParam("userId") String userId, @Valid @NotNull UserInput input) {
        return users.update(Params.id("userId", userId), input);
    }

    @DELETE
    @Path("{userId}")
    public Uni<Response> delete(@PathParam("userId") String userId) {
        return users.delete(Params.id("userId", userId)).replaceWith(Response.noContent().build());
    }
}
