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
@Path("/api/v1/workspaces/{workspaceId}/members")
@Tag(name = "Workspace members")
public class MemberResource {

    private final UserService users;

    public MemberResource(UserService users) {
        this.users = users;
    }

    @GET
    public Uni<List<MemberView>> members(@PathParam("workspaceId") String workspaceId) {
        return users.members(Params.id("workspaceId", workspaceId));
    }

    @PUT
    @Path("{userId}")
    public Uni<MemberView> setRoles(@PathParam("workspaceId") String workspaceId, @PathParam("userId") String userId,
                                    @Valid @NotNull MemberInput input) {
        return users.setRoles(Params.id("workspaceId", workspaceId), Params.id("userId", userId), input);
    }

    @DELETE
    @Path("{userId}")
    public Uni<Response> removeMember(@PathParam("workspaceId") String workspaceId, @PathParam("userId") String userId) {
        return users.removeMember(Params.id("workspaceId", workspaceId), Params.id("userId", userId))
                .replaceWith(Response.noContent().build());
    }
}
