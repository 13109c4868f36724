package dev.triggerlayer.publisher.subscription.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.publisher.subscription.model.EventFilter;
import dev.triggerlayer.publisher.subscription.model.Subscription;

/**
 * Whether a subscription wants an event. The tenant check comes first and does not depend on
 * the filter: a lane only reads its own tenant's bus, and this is the second wall, so that not
 * even a mis-routed event could reach another tenant's endpoint.
 */
public final class SubscriptionFilter {

    private SubscriptionFilter() {
    }

    public static boolean matches(Subscription subscription, JsonNode event) {
        return matches(subscription.tenantId(), subscription.workspaceId(), subscription.filter(), event);
    }

    public static boolean matches(long tenantId, Long workspaceId, EventFilter filter, JsonNode event) {
        JsonNode data = event.path("data");
        JsonNode eventTenant = data.path("tenantId");
        if (!eventTenant.canConvertToLong() || eventTenant.asLong() != tenantId) {
            return false;
        }
        Long workspace = workspaceOf(data);
        if (workspaceId != null && !workspaceId.equals(workspace)) {
            return false;
        }
        if (!filter.types().isEmpty() && !filter.types().contains(event.path("type").asText())) {
            return false;
        }
        if (!filter.eventCodes().isEmpty() && !filter.eventCodes().contains(data.path("eventCode").asText())) {
            return false;
        }
        return filter.projectIds().isEmpty() || (workspace != null && filter.projectIds().contains(workspace));
    }

    /** The event's workspace: {@code appId} in instance events, {@code projectId} in DAG and operation events. */
    static Long workspaceOf(JsonNode data) {
        for (String field : new String[] {"appId", "projectId"}) {
            JsonNode node = data.path(field);
            if (node.canConvertToLong()) {
                return node.asLong();
            }
        }
        return null;
    }
}
