package dev.triggerlayer.registry.grant;

import java.time.Instant;

public record GrantAuditView(long id, long grantId, String action, String operator, Instant at, String detail) {

    static GrantAuditView of(GrantAudit a) {
        return new GrantAuditView(a.id, a.grantId, a.action, a.operator, a.at, a.detail);
    }
}
