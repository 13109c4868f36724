package dev.triggerlayer.publisher.event.service;

import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.SchedulerRecord;

/**
 * Turns the records of one scheduler topic into the documented event they stand for. Adding an
 * event kind is a record type, a mapper, and one entry in the consumer's topic table (as the
 * instance operations of {@code scheduler.instance-operations} were); routing, envelope, buses
 * and delivery are shared.
 */
public interface ChangeMapper<R extends SchedulerRecord> {

    Class<R> recordType();

    /** Rejects a record that cannot become a valid event, naming the offending member. */
    void validate(R record) throws IllegalArgumentException;

    /** The event for a validated record of the given (registry-confirmed) tenant. */
    EventDraft draft(R record, String eventId, TenantEntry tenant);
}
