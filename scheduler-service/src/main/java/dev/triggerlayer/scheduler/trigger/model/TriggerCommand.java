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
 * @param homeRegion   a federated command's target: the node's tenant's home region (docs/federation.md)
 * @param originRegion a federated command's region of arrival: its outcome goes back there
 */
public record TriggerCommand(UUID commandId, Instant issuedAt, String action, long taskId, String env, long triggerTime,
                             Long appId, Long bizDate, String principal, String homeRegion, String originRegion) {

    /** Arrived at another region's gateway, to be answered there. */
    public boolean federated() {
        return originRegion != null;
    }
}
