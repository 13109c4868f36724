package dev.triggerlayer.publisher.event.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * A fired alert rule on {@code scheduler.alerts} (contracts/scheduler-records.md#alerts), keyed by
 * the rule id. Node rules ({@code remindUnit} NODE) list the instances that fired together,
 * {@code nodeIds[i]} being the node of {@code taskIds[i]}; resource-group rules (GATEWAY_RES) name
 * the group, with what was measured ({@code slots}, {@code running}, {@code waiting}).
 *
 * @param alertId stable per alert (also the {@code event-id} header): the event id
 * @param firedAt epoch milliseconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertRecord(String alertId, Long remindId, String remindName, String remindUnit, String remindType, Long tenantId,
                          Long workspaceId, Long firedAt, List<Long> nodeIds, List<Long> taskIds, String resourceGroup,
                          Integer slots, Long running, Long waiting) implements SchedulerRecord {

    /** The alert id plays the part of the change id: one event per alert, same id on redelivery. */
    @Override
    public String changeId() {
        return alertId;
    }
}
