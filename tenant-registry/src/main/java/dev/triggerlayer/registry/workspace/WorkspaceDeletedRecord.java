package dev.triggerlayer.registry.workspace;

import java.util.UUID;

/**
 * A record of {@code registry.workspace-events} (contracts/registry-feed.md, "Workspace events"):
 * the workspace is gone, and the publisher raises {@code project-deleted} from this record alone,
 * since the workspace has left the change feed by then. Keyed by the tenant id.
 *
 * @param changeId     unique per record (also the {@code change-id} header): the event's id
 * @param type         {@code workspace-deleted}
 * @param eventBusName the bus the workspace mapped to; null: the tenant's default bus
 * @param operator     who deleted it ({@code X-Operator}; for a held deletion, who asked for it)
 * @param deletedAt    epoch milliseconds of the deletion
 */
public record WorkspaceDeletedRecord(UUID changeId, String type, long tenantId, long workspaceId, String workspaceName,
                                     boolean publishEvents, String eventBusName, String operator, long deletedAt) {

    public static final String TYPE = "workspace-deleted";

    static WorkspaceDeletedRecord of(Workspace w, String operator, long deletedAt) {
        return new WorkspaceDeletedRecord(UUID.randomUUID(), TYPE, w.tenantId, w.id, w.name, w.publishEvents, w.eventBusName,
                operator, deletedAt);
    }
}
