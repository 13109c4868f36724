package dev.triggerlayer.scheduler.alert.rest;

import dev.triggerlayer.kit.auth.Roles;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.scheduler.alert.model.AlertRuleInput;
import dev.triggerlayer.scheduler.alert.model.AlertRuleView;
import dev.triggerlayer.scheduler.alert.service.AlertRules;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/**
 * Alert rules of a workspace (REMIND_ALERT, docs/alerts.md): create, list, read, delete. A fired
 * rule becomes a {@code workbench-monitor-alert} event. Changes name their operator in
 * {@code X-Operator}.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/alert-rules")
@Tag(name = "Alert rules")
public class AlertRuleResource {

    private final AlertRules rules;

    public AlertRuleResource(AlertRules rules) {
        this.rules = rules;
    }

    @POST
    @Operation(summary = "Create an alert rule; the answer carries its remindId")
    public Uni<Response> create(@HeaderParam("X-Operator") String operator, @Valid @NotNull AlertRuleInput input) {
        String who = operator(operator);
        return rules.create(input, who).map(view -> Response.status(Response.Status.CREATED).entity(view).build());
    }

    @GET
    @Operation(summary = "The alert rules of a workspace, oldest first")
    public Uni<List<AlertRuleView>> list(@QueryParam("workspaceId") String workspaceId) {
        if (workspaceId == null) {
            throw new InvalidInputException("workspaceId", "is required");
        }
        return rules.list(Params.id("workspaceId", workspaceId));
    }

    @GET
    @Path("{id}")
    public Uni<AlertRuleView> get(@PathParam("id") String id) {
        return rules.get(Params.id("id", id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete an alert rule: it fires no more")
    public Uni<Map<String, Object>> delete(@PathParam("id") String id, @HeaderParam("X-Operator") String operator) {
        operator(operator);
        long remindId = Params.id("id", id);
        return rules.delete(remindId).map(v -> Map.of("remindId", remindId, "deleted", true));
    }

    private static String operator(String header) {
        if (header == null || header.isBlank()) {
            throw new InvalidInputException("X-Operator", "is required: who changes the alert rules");
        }
        return Params.operator(header);
    }
}
