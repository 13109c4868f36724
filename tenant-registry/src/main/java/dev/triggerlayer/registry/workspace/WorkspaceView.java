package dev.triggerlayer.registry.workspace;

import java.time.Instant;
import java.util.List;

/** @param eventBusName the bus receiving the workspace's events; null: the publisher's default bus */
public record WorkspaceView(long id, long tenantId, String name, List<String> environments, boolean publishEvents,
                            String eventBusName, Instant createdAt, Instant updatedAt) {

    static WorkspaceView of(Workspace w) {
        return new WorkspaceView(w.id, w.tenantId, w.name, List.copyOf(w.environments), w.publishEvents, w.eventBusName,
                w.createdAt, w.updatedAt);
    }
}
