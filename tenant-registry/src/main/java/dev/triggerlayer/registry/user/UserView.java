package dev.triggerlayer.registry.user;

import java.time.Instant;

public record UserView(long id, long tenantId, String name, UserKind kind, Instant createdAt, Instant updatedAt) {

    static UserView of(TenantUser u) {
        return new UserView(u.id, u.tenantId, u.name, u.kind, u.createdAt, u.updatedAt);
    }
}
