package dev.triggerlayer.publisher.delivery.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A dead letter as the API shows it, with the event itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterView(long id, long subscriptionId, long tenantId, String eventId, String eventType, String key,
                             int attempts, String lastError, Integer lastStatus, DeadLetterStatus status,
                             Instant failedAt, Instant redriveRequestedAt, Instant redrivenAt, JsonNode event) {
}
