package dev.triggerlayer.registry.grant;

import java.time.Instant;
import java.util.List;

public record GrantView(long id, long tenantId, long workspaceId, long granteeTenantId, long granteeUserId,
                        List<Long> nodeIds, boolean allNodes, Instant expiresAt, String createdBy, Instant createdAt,
                        Instant revokedAt, String revokedBy) {

    static GrantView of(TriggerGrant g) {
        return new GrantView(g.id, g.tenantId, g.workspaceId, g.granteeTenantId, g.granteeUserId,
                g.nodeIds.stream().map(Long::valueOf).toList(), g.allNodes, g.expiresAt, g.createdBy, g.createdAt, g.revokedAt, g.revokedBy);
    }
}
