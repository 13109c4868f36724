package dev.triggerlayer.registry.workspace;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/workspaces")
@Tag(name = "Workspaces")
public class WorkspaceResource {

    private final WorkspaceService workspaces;
    private final DeletionChecks deletions;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public WorkspaceResource(WorkspaceService workspaces, DeletionChecks deletions, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.workspaces = workspaces;
        this.deletions = deletions;
        this.json = json;
    }

    @POST
    public Uni<Response> create(@Valid @NotNull WorkspaceInput input) {
        return workspaces.create(input).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    public Uni<List<WorkspaceView>> list(@QueryParam("tenantId") String tenantId) {
        return workspaces.list(tenantId == null ? null : Params.id("tenantId", tenantId));
    }

    /** The workspace; {@code checkingOperationId} while its deletion waits for extension checks (docs/extensions.md). */
    @GET
    @Path("{workspaceId}")
    public Uni<java.util.Map<String, Object>> get(@PathParam("workspaceId") String workspaceId) {
        long id = Params.id("workspaceId", workspaceId);
        return workspaces.get(id).chain(view -> deletions.held(id).map(pending -> {
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(json.convertValue(view, java.util.Map.class));
            if (pending != null) {
                out.put("checkingOperationId", pending);
            }
            return out;
        }));
    }


    @PUT
    @Path("{workspaceId}")
    public Uni<WorkspaceView> update(@PathParam("workspaceId") String workspaceId, @Valid @NotNull WorkspaceInput input) {
        return workspaces.update(Params.id("workspaceId", workspaceId), input);
    }

    /**
     * 204 once deleted; 202 with the checks when the tenant's {@code delete-project} extensions hold
     * it (docs/extensions.md): it is deleted when they pass.
     */
    @DELETE
    @Path("{workspaceId}")
    public Uni<Response> delete(@PathParam("workspaceId") String workspaceId, @jakarta.ws.rs.HeaderParam("X-Operator") String operator) {
        String who = operator == null || operator.isBlank() ? "unknown" : Params.operator(operator);
        return deletions.delete(Params.id("workspaceId", workspaceId), who)
                .map(o -> o.deleted() ? Response.noContent().build() : Response.accepted(o.held()).build());
    }
}
