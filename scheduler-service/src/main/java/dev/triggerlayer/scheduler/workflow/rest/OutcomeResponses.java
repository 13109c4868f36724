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
        return Response.accepted(checking(outcome.held())).build();
    }

    /** The body of a held operation's answer: {@code {"state":"Checking","pendingOperationId":…,"checkIds":[…]}}. */
    public static Map<String, Object> checking(dev.triggerlayer.scheduler.extension.model.Held held) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("state", "Checking");
        body.put("pendingOperationId", held.pendingOperationId().toString());
        body.put("checkIds", held.checkIds().stream().map(Object::toString).toList());
        return body;
    }
}
