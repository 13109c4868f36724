package dev.triggerlayer.registry.accesskey;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
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
@Path("/api/v1/access-keys")
@Tag(name = "AccessKeys")
public class AccessKeyResource {

    private final AccessKeyService keys;

    public AccessKeyResource(AccessKeyService keys) {
        this.keys = keys;
    }

    @GET
    @Path("{accessKeyId}")
    public Uni<AccessKeyView> get(@PathParam("accessKeyId") String id) {
        return keys.get(id);
    }

    @POST
    @Path("{accessKeyId}/enable")
    public Uni<AccessKeyView> enable(@PathParam("accessKeyId") String id) {
        return keys.setEnabled(id, true);
    }

    @POST
    @Path("{accessKeyId}/disable")
    public Uni<AccessKeyView> disable(@PathParam("accessKeyId") String id) {
        return keys.setEnabled(id, false);
    }

    @POST
    @Path("{accessKeyId}/rotate")
    @Operation(summary = "Replace the secret; the answer is the only time the new secret is shown")
    public Uni<NewAccessKey> rotate(@PathParam("accessKeyId") String id) {
        return keys.rotate(id);
    }

    @DELETE
    @Path("{accessKeyId}")
    public Uni<Response> delete(@PathParam("accessKeyId") String id) {
        return keys.delete(id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("reseal")
    @Operation(summary = "Seal every stored secret under the active at-rest key (finishes an encryption-key rotation)")
    public Uni<Map<String, Integer>> reseal() {
        return keys.resealAll().map(n -> Map.of("resealed", n));
    }
}
