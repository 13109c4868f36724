package dev.triggerlayer.registry.user;

import java.time.Instant;
import java.util.List;

/** @param mayTrigger whether these roles may trigger HTTP trigger nodes in the workspace */
public record MemberView(long workspaceId, long userId, long tenantId, List<Role> roles, boolean mayTrigger, Instant updatedAt) {

    static MemberView of(WorkspaceMember m, long tenantId) {
        List<Role> roles = m.roles.stream().map(Role::valueOf).toList();
        return new MemberView(m.workspaceId, m.userId, tenantId, roles, Role.mayTrigger(roles), m.updatedAt);
    }
}
