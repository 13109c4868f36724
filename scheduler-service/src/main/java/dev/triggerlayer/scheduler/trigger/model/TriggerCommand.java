package dev.triggerlayer.scheduler.trigger.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A trigger command from the gateway (topic {@code scheduler.trigger-commands}, key
 * {@code env/taskId/triggerTime}; contract: {@code contracts/scheduler-records.md}).
 *
 * @param action      TriggerSchedulerTaskInstance or RunTriggerNode
 * @param taskId      the HTTP trigger node's id (TaskId / NodeId)
 * @param env         Prod or Dev
 * @param triggerTime epoch ms of the instance's scheduled time (TriggerTime / CycleTime)
 * @param appId       RunTriggerNode only: the workspace the node must belong to
 * @param bizDate     RunTriggerNode only: epoch ms of the business date (checked when given)
 * @param principal   who triggered, for the record: {@code tenantId/userId/accessKeyId}
 */
public record TriggerCommand(UUID commandId, Instant issuedAt, String action, long taskId, String env, long triggerTime,
                             Long appId, Long bizDate, String principal) {
}
