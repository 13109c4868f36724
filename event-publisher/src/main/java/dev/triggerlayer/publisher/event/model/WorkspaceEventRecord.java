package dev.triggerlayer.publisher.event.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A record of the registry's {@code registry.workspace-events} (contracts/registry-feed.md,
 * "Workspace events"), keyed by the tenant id. {@code type} {@code workspace-deleted} becomes
 * {@code project-deleted}; {@code deletedAt} is epoch milliseconds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkspaceEventRecord(String changeId, String type, Long tenantId, Long workspaceId, String workspaceName,
                                   Boolean publishEvents, String eventBusName, String operator, Long deletedAt)
        implements TenantLevelRecord {
}
