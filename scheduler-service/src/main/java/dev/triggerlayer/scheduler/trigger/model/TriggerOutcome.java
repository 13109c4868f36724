package dev.triggerlayer.scheduler.trigger.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/**
 * The scheduler's answer to a trigger command ({@code scheduler.trigger-outcomes}, key = command id).
 *
 * @param outcome        TRIGGERED, RETAINED or REFUSED
 * @param code           Triggered; UpstreamNotFinished / ScheduledTimeNotReached / ResourceGroupFull /
 *                       AlreadyRetained (retained); InstanceNotFound / NotHttpTriggerNode / InstanceFrozen /
 *                       AlreadyTriggered / InstanceFinished / RetentionExpired / InvalidCommand (refused)
 * @param retainedUntil  epoch ms, for RETAINED
 * @param redelivered    true when the command id had been seen before (no second effect)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerOutcome(UUID commandId, String outcome, String code, String message, Long taskInstanceId,
                             Long retainedUntil, long decidedAt, boolean redelivered) {

    public static final String TRIGGERED = "TRIGGERED", RETAINED = "RETAINED", REFUSED = "REFUSED";
}
