package dev.triggerlayer.publisher.event.model;

/** A record of one of the scheduler's change topics (contract: {@code contracts/scheduler-records.md}). */
public interface SchedulerRecord {

    /** Stable per change (same on redelivery); becomes the event's {@code id}. May be absent in old records. */
    String changeId();

    /** Tenant the scheduler says owns the workspace; checked against the registry before publishing. */
    Long tenantId();

    Long workspaceId();
}
