package dev.triggerlayer.publisher.subscription.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A subscription as the API shows it. {@code secret} is present only in the answer that
 * created it (create, rotate-secret): it is never shown again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(long id, long tenantId, Long workspaceId, String name, String busName, String busTopic,
                               EventFilter filter, Target target, Instant replayFrom, Instant createdAt,
                               Instant updatedAt, String secret) {

    public static SubscriptionView of(Subscription s, String secret) {
        return new SubscriptionView(s.id(), s.tenantId(), s.workspaceId(), s.name(), s.busName(), s.busTopic(),
                s.filter(), s.target(), s.replayFrom(), s.createdAt(), s.updatedAt(), secret);
    }
}
