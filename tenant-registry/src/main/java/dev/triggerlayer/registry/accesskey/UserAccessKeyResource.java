package dev.triggerlayer.registry.accesskey;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/users/{userId}/access-keys")
@Tag(name = "AccessKeys")
public class UserAccessKeyResource {

    private final AccessKeyService keys;

    public UserAccessKeyResource(AccessKeyService keys) {
        this.keys = keys;
    }

    @POST
    @Operation(summary = "Create an AccessKey; the answer is the only time its secret is shown")
    public Uni<Response> create(@PathParam("userId") String userId) {
        return keys.create(Params.id("userId", userId)).map(k -> Response.status(Response.Status.CREATED).entity(k).build());
    }

    @GET
    public Uni<List<AccessKeyView>> list(@PathParam("userId") String userId) {
        return keys.list(Params.id("userId", userId));
    }
}
