package dev.triggerlayer.publisher.subscription.model;

import java.util.List;

/**
 * Which of the tenant's events a subscription wants. Each list is a set of accepted values; an
 * empty list accepts every value. All given lists must accept the event.
 *
 * @param types      CloudEvents {@code type} values
 * @param eventCodes {@code data.eventCode} values
 * @param projectIds workspace ids ({@code data.appId} or {@code data.projectId}, as the event names it)
 */
public record EventFilter(List<String> types, List<String> eventCodes, List<Long> projectIds) {

    public EventFilter {
        types = types == null ? List.of() : List.copyOf(types);
        eventCodes = eventCodes == null ? List.of() : List.copyOf(eventCodes);
        projectIds = projectIds == null ? List.of() : List.copyOf(projectIds);
    }

    public static EventFilter all() {
        return new EventFilter(List.of(), List.of(), List.of());
    }
}
