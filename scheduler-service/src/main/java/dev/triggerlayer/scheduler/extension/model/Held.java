package dev.triggerlayer.scheduler.extension.model;

import java.util.List;
import java.util.UUID;

/** An operation now waiting in Checking: its pending operation and one check per workspace that has covering extensions. */
public record Held(UUID pendingOperationId, List<UUID> checkIds) {

    /** The operator of an operation whose {@code X-Operator} is optional (node and workflow operations). */
    public static String operator(String header) {
        return header == null || header.isBlank() ? "unknown" : dev.triggerlayer.kit.rest.Params.operator(header);
    }

    /** 200 with the result when applied; 202 {@code {"state":"Checking",…}} when held. */
    public static jakarta.ws.rs.core.Response response(dev.triggerlayer.scheduler.workflow.service.WorkflowService.Outcome<?> outcome) {
        if (outcome.held() == null) {
            return jakarta.ws.rs.core.Response.ok(outcome.result()).build();
        }
        return jakarta.ws.rs.core.Response.accepted(java.util.Map.of("state", "Checking",
                "pendingOperationId", outcome.held().pendingOperationId().toString(),
                "checkIds", outcome.held().checkIds().stream().map(Object::toString).toList())).build();
    }
}
