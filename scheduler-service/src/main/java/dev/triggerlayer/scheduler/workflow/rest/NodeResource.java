package dev.triggerlayer.scheduler.workflow.rest;

import dev.triggerlayer.kit.auth.Roles;
import dev.triggerlayer.scheduler.extension.model.Held;
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

    public NodeResource(WorkflowService workflows) {
        this.workflows = workflows;
    }

    @GET
    @Path("{nodeId}")
    public Uni<NodeDirectoryEntry> get(@PathParam("nodeId") String id) {
        return workflows.node(Params.id("nodeId", id));
    }

    /** 200 with the node once applied; 202 with the checks when extensions hold it in Checking (docs/extensions.md). */
    @POST
    @Path("{nodeId}/freeze")
    public Uni<jakarta.ws.rs.core.Response> freeze(@PathParam("nodeId") String id, @jakarta.ws.rs.HeaderParam("X-Operator") String operator) {
        return workflows.setFrozen(Params.id("nodeId", id), true, Held.operator(operator)).map(Held::response);
    }

    @POST
    @Path("{nodeId}/unfreeze")
    public Uni<jakarta.ws.rs.core.Response> unfreeze(@PathParam("nodeId") String id, @jakarta.ws.rs.HeaderParam("X-Operator") String operator) {
        return workflows.setFrozen(Params.id("nodeId", id), false, Held.operator(operator)).map(Held::response);
    }
}
