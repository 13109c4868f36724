package dev.triggerlayer.scheduler.dagrun.rest;

import dev.triggerlayer.kit.auth.Roles;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.scheduler.dagrun.model.BackfillRequest;
import dev.triggerlayer.scheduler.dagrun.model.ManualRunRequest;
import dev.triggerlayer.scheduler.dagrun.model.RunView;
import dev.triggerlayer.scheduler.dagrun.service.WorkflowRuns;
import dev.triggerlayer.scheduler.workflow.rest.OutcomeResponses;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/** Backfills and manual workflow runs (docs/backfills.md). */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1")
@Tag(name = "Workflow runs")
public class WorkflowRunResource {

    private final WorkflowRuns runs;

    public WorkflowRunResource(WorkflowRuns runs) {
        this.runs = runs;
    }

    @POST
    @Path("backfills")
    @Operation(summary = "Backfill a node and nodes of its workflow for business-date ranges (dagType 3); 202 while backfill-data extensions check it")
    public Uni<Response> backfill(@Valid @NotNull BackfillRequest in, @HeaderParam("X-Operator") String operator) {
        return runs.backfill(in, OutcomeResponses.operator(operator)).map(outcome -> {
            if (outcome.held() == null) {
                return Response.status(Response.Status.CREATED).entity(outcome.result()).build();
            }
            Map<String, Object> body = OutcomeResponses.checking(outcome.held());
            body.put("backfill", outcome.result());
            return Response.accepted(body).build();
        });
    }

    @POST
    @Path("workflow-runs")
    @Operation(summary = "Run a deployed workflow now for a business date (dagType 5)")
    public Uni<Response> run(@Valid @NotNull ManualRunRequest in, @HeaderParam("X-Operator") String operator) {
        return runs.manualRun(in, OutcomeResponses.operator(operator)).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    @Path("workflow-runs/{runId}")
    public Uni<RunView> get(@PathParam("runId") String id) {
        return runs.get(Params.id("runId", id));
    }

    @GET
    @Path("backfills/{runId}")
    public Uni<RunView> getBackfill(@PathParam("runId") String id) {
        return runs.get(Params.id("runId", id));
    }
}
