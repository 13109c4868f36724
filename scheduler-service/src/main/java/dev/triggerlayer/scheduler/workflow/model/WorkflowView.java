package dev.triggerlayer.scheduler.workflow.model;

import java.time.Instant;
import java.util.List;

public record WorkflowView(long id, long tenantId, long workspaceId, Env env, String name, String owner, String timeZone,
                           Integer deployedVersion, List<NodeDefinition> nodes, Instant createdAt, Instant updatedAt) {
}
