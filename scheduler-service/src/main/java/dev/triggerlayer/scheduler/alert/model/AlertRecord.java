package dev.triggerlayer.scheduler.alert.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.UUID;

/**
 * One alert on {@code scheduler.alerts} (contracts/scheduler-records.md#alerts), keyed by the rule
 * id. Node rules list the instances that fired together, {@code nodeIds[i]} being the node of
 * {@code taskIds[i]}; resource-group rules name the group and what was measured.
 *
 * @param alertId stable per alert (also the {@code event-id} header): the event id
 * @param firedAt epoch milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRecord(UUID alertId, long remindId, String remindName, String remindUnit, String remindType, long tenantId,
                          long workspaceId, long firedAt, List<Long> nodeIds, List<Long> taskIds, String resourceGroup,
                          Integer slots, Long running, Long waiting) {
}
