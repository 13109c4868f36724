package dev.triggerlayer.scheduler.extension.rest;

import dev.triggerlayer.kit.auth.Roles;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.scheduler.extension.model.ExtensionInput;
import dev.triggerlayer.scheduler.extension.model.ExtensionView;
import dev.triggerlayer.scheduler.extension.model.WorkspaceSetting;
import dev.triggerlayer.scheduler.extension.service.ExtensionRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/**
 * Extensions (reference 004): register, update, publish, enable per workspace, delete, audit.
 * Every change names its operator in {@code X-Operator}.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/extensions")
@Tag(name = "Extensions")
public class ExtensionResource {

    private final ExtensionRegistry registry;

    public ExtensionResource(ExtensionRegistry registry) {
        this.registry = registry;
    }

    @POST
    @Operation(summary = "Register an extension; the answer carries its extension code")
    public Uni<ExtensionView> register(@HeaderParam("X-Operator") String operator, @Valid @NotNull ExtensionInput input) {
        return registry.register(input, operator(operator));
    }

    @GET
    @Operation(summary = "The tenant's extensions")
    public Uni<List<ExtensionView>> list(@QueryParam("tenantId") String tenantId) {
        if (tenantId == null) {
            throw new InvalidInputException("tenantId", "is required");
        }
        return registry.list(Params.id("tenantId", tenantId));
    }

    @GET
    @Path("{code}")
    public Uni<ExtensionView> get(@PathParam("code") String code) {
        return registry.get(code);
    }

    @PUT
    @Path("{code}")
    @Operation(summary = "Change an extension's registration")
    public Uni<ExtensionView> update(@PathParam("code") String code, @HeaderParam("X-Operator") String operator, @Valid @NotNull ExtensionInput input) {
        return registry.update(code, input, operator(operator));
    }

    @POST
    @Path("{code}/publish")
    @Operation(summary = "Publish: workspace administrators may then enable it beyond its test workspace")
    public Uni<ExtensionView> publish(@PathParam("code") String code, @HeaderParam("X-Operator") String operator) {
        return registry.publish(code, operator(operator));
    }

    @PUT
    @Path("{code}/workspaces/{workspaceId}")
    @Operation(summary = "Enable or disable a published extension in a workspace, with the workspace's options")
    public Uni<ExtensionView> workspace(@PathParam("code") String code, @PathParam("workspaceId") String workspaceId,
                                        @HeaderParam("X-Operator") String operator, @Valid @NotNull WorkspaceSetting setting) {
        return registry.setWorkspace(code, Params.id("workspaceId", workspaceId), setting, operator(operator));
    }

    @DELETE
    @Path("{code}")
    public Uni<Map<String, Object>> delete(@PathParam("code") String code, @HeaderParam("X-Operator") String operator) {
        return registry.delete(code, operator(operator)).map(v -> Map.of("code", code, "deleted", true));
    }

    @GET
    @Path("{code}/audit")
    @Operation(summary = "Who did what to the extension, oldest first")
    public Uni<List<Map<String, Object>>> audit(@PathParam("code") String code) {
        return registry.get(code).chain(v -> registry.audit(code));
    }

    private static String operator(String header) {
        if (header == null || header.isBlank()) {
            throw new InvalidInputException("X-Operator", "is required: who changes the extension");
        }
        return Params.operator(header);
    }
}
