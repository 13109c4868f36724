package dev.triggerlayer.registry.accesskey;

import java.time.Instant;

/** An AccessKey as the API shows it after creation: never with its secret. */
public record AccessKeyView(String accessKeyId, long tenantId, long userId, boolean enabled,
                            Instant createdAt, Instant updatedAt, Instant lastUsedAt) {

    static AccessKeyView of(AccessKey k) {
        return new AccessKeyView(k.id, k.tenantId, k.userId, k.enabled, k.createdAt, k.updatedAt, k.lastUsedAt);
    }
}
