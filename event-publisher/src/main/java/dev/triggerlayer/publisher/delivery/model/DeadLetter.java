package dev.triggerlayer.publisher.delivery.model;

import java.time.Instant;

/**
 * An event a subscription could not deliver. {@code payload} is the CloudEvent exactly as the bus
 * carried it; a re-drive sends it in the subscription's current format to its current target.
 *
 * @param attempts   attempts so far, re-drives included
 * @param lastStatus HTTP status of the last attempt, if the endpoint answered
 */
public record DeadLetter(long id, long subscriptionId, long tenantId, String eventId, String eventType, String recordKey,
                         String payload, int attempts, String lastError, Integer lastStatus, DeadLetterStatus status,
                         Instant failedAt, Instant redriveRequestedAt, Instant redrivenAt) {
}
