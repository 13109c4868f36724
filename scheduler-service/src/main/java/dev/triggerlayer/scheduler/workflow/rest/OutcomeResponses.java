package dev.triggerlayer.scheduler.workflow.rest;

import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.scheduler.workflow.service.WorkflowService;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** How the node and workflow operations answer when extension checks may hold them (docs/extensions.md). */
public final class OutcomeResponses {

    private OutcomeResponses() {
    }

    /** The operator of an operation whose {@code X-Operator} is optional. */
    public static String operator(String header) {
        return header == null || header.isBlank() ? "unknown" : Params.operator(header);
    }

    /** 200 with the result when applied; 202 {@code {"state":"Checking",…}} when held. */
    public static Response of(WorkflowService.Outcome<?> outcome) {
        if (outcome.held() == null) {
            return Response.ok(outcome.result()).build();
        }
        return Response.accepted(Map.of("state", "Checking",
                "pendingOperationId", outcome.held().pendingOperationId().toString(),
                "checkIds", outcome.held().checkIds().stream().map(Object::toString).toList())).build();
    }
}
