package dev.triggerlayer.scheduler.workflow.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.scheduler.workflow.model.WorkflowDefinition;
import dev.triggerlayer.scheduler.workflow.model.WorkflowView;
import dev.triggerlayer.scheduler.workflow.service.WorkflowService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/workflows")
@Tag(name = "Workflows")
public class WorkflowResource {

    private final WorkflowService workflows;

    public WorkflowResource(WorkflowService workflows) {
        this.workflows = workflows;
    }

    @POST
    public Uni<Response> create(@Valid @NotNull WorkflowDefinition input) {
        return workflows.create(input).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    @Path("{workflowId}")
    public Uni<WorkflowView> get(@PathParam("workflowId") String id) {
        return workflows.get(Params.id("workflowId", id));
    }

    @PUT
    @Path("{workflowId}")
    public Uni<WorkflowView> update(@PathParam("workflowId") String id, @Valid @NotNull WorkflowDefinition input) {
        return workflows.update(Params.id("workflowId", id), input);
    }

    @POST
    @Path("{workflowId}/deploy")
    @Operation(summary = "Deploy the current definition as a new version and generate instances per the nodes' generation mode")
    public Uni<jakarta.ws.rs.core.Response> deploy(@PathParam("workflowId") String id, @HeaderParam("X-Operator") String operator) {
        // 200 with the workflow once deployed; 202 with the checks when extensions hold it (deploy-file).
        return workflows.deploy(Params.id("workflowId", id), Params.operator(operator)).map(OutcomeResponses::of);
    }

    @POST
    @Path("{workflowId}/undeploy")
    public Uni<jakarta.ws.rs.core.Response> undeploy(@PathParam("workflowId") String id, @HeaderParam("X-Operator") String operator) {
        // 200 with the workflow once applied; 202 with the checks when extensions hold it (undeploy-node).
        return workflows.undeploy(Params.id("workflowId", id), OutcomeResponses.operator(operator))
                .map(OutcomeResponses::of);
    }

    @GET
    @Path("{workflowId}/deployments")
    public Uni<List<Map<String, Object>>> deployments(@PathParam("workflowId") String id) {
        return workflows.deployments(Params.id("workflowId", id));
    }

    @POST
    @Path("{workflowId}/generate")
    @Operation(summary = "Generate the instances of one day (yyyy-MM-dd); idempotent")
    public Uni<Map<String, Integer>> generate(@PathParam("workflowId") String id, @QueryParam("date") String date) {
        LocalDate day;
        try {
            day = LocalDate.parse(date == null ? "" : date);
        } catch (DateTimeException e) {
            throw new InvalidInputException("date", "must be a date like 2026-11-23");
        }
        return workflows.generate(Params.id("workflowId", id), day).map(n -> Map.of("created", n));
    }
}
