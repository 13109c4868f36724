package dev.triggerlayer.registry.tenant;

import java.time.Instant;

public record TenantView(long id, String name, String accountId, Edition edition, boolean httpTriggerNodesAllowed,
                         String homeRegion, String timeZone, Instant createdAt, Instant updatedAt) {

    static TenantView of(Tenant t) {
        return new TenantView(t.id, t.name, t.accountId, t.edition, t.edition.allowsHttpTriggerNodes(),
                t.homeRegion, t.timeZone, t.createdAt, t.updatedAt);
    }
}
