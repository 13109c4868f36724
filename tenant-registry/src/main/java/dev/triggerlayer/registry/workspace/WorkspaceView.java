package dev.triggerlayer.registry.workspace;

import java.time.Instant;
import java.util.List;

public record WorkspaceView(long id, long tenantId, String name, List<String> environments, boolean publishEvents,
                            Instant createdAt, Instant updatedAt) {

    static WorkspaceView of(Workspace w) {
        return new WorkspaceView(w.id, w.tenantId, w.name, List.copyOf(w.environments), w.publishEvents, w.createdAt, w.updatedAt);
    }
}
