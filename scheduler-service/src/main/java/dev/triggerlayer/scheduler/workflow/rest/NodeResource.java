package dev.triggerlayer.scheduler.workflow.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.scheduler.workflow.model.NodeDirectoryEntry;
import dev.triggerlayer.scheduler.workflow.service.WorkflowService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/nodes")
@Tag(name = "Nodes")
public class NodeResource {

    private final WorkflowService workflows;
    private final dev.triggerlayer.scheduler.extension.service.ExtensionChecks checks;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public NodeResource(WorkflowService workflows, dev.triggerlayer.scheduler.extension.service.ExtensionChecks checks,
                        com.fasterxml.jackson.databind.ObjectMapper json) {
        this.workflows = workflows;
        this.checks = checks;
        this.json = json;
    }

    /** The node; {@code checkingOperationId} while an operation on it waits for extension checks (docs/extensions.md). */
    @GET
    @Path("{nodeId}")
    public Uni<java.util.Map<String, Object>> get(@PathParam("nodeId") String id) {
        long nodeId = Params.id("nodeId", id);
        return workflows.node(nodeId).chain(entry -> checks.heldNode(nodeId).map(pending -> {
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>(json.convertValue(entry, java.util.Map.class));
            if (pending != null) {
                out.put("checkingOperationId", pending);
            }
            return out;
        }));
    }

    /** 200 with the node once applied; 202 with the checks when extensions hold it in Checking (docs/extensions.md). */
    @POST
    @Path("{nodeId}/freeze")
    public Uni<jakarta.ws.rs.core.Response> freeze(@PathParam("nodeId") String id, @jakarta.ws.rs.HeaderParam("X-Operator") String operator) {
        return workflows.setFrozen(Params.id("nodeId", id), true, OutcomeResponses.operator(operator)).map(OutcomeResponses::of);
    }

    /** A deployed node's owner and/or resource group changed in place (raises {@code node-change-updated}). */
    public record NodeSettings(String owner, String resourceGroup) {
    }

    @jakarta.ws.rs.PATCH
    @Path("{nodeId}")
    public Uni<dev.triggerlayer.scheduler.workflow.model.NodeDirectoryEntry> change(@PathParam("nodeId") String id, NodeSettings settings,
                                                                                   @jakarta.ws.rs.HeaderParam("X-Operator") String operator) {
        if (settings == null) {
            throw new dev.triggerlayer.kit.error.InvalidInputException("body", "a JSON object with owner and/or resourceGroup is required");
        }
        return workflows.changeSettings(Params.id("nodeId", id), settings.owner(), settings.resourceGroup(), OutcomeResponses.operator(operator));
    }

    @POST
    @Path("{nodeId}/unfreeze")
    public Uni<jakarta.ws.rs.core.Response> unfreeze(@PathParam("nodeId") String id, @jakarta.ws.rs.HeaderParam("X-Operator") String operator) {
        return workflows.setFrozen(Params.id("nodeId", id), false, OutcomeResponses.operator(operator)).map(OutcomeResponses::of);
    }
}
