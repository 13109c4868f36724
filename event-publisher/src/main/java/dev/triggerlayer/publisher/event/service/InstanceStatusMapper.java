package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.EventType;
import dev.triggerlayer.publisher.event.model.InstanceChangeRecord;

import java.time.Instant;

/**
 * {@code scheduler.instance-changes} → {@code instance-status-changes}
 * ({@code contracts/events/instance-status-changes.schema.json}). WaitTrigger arrives as status 2
 * (the documented "waiting" code) and is published as such: the event has no code of its own for it.
 * {@code flowId} follows reference 002 ({@link Flows}); {@code workflowId} (ours) is the real workflow.
 */
public final class InstanceStatusMapper implements ChangeMapper<InstanceChangeRecord> {

    private final ObjectMapper json;

    public InstanceStatusMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Class<InstanceChangeRecord> recordType() {
        return InstanceChangeRecord.class;
    }

    @Override
    public void validate(InstanceChangeRecord r) {
        Checks.id("taskInstanceId", r.taskInstanceId());
        Checks.id("dagInstanceId", r.dagInstanceId());
        Checks.id("nodeId", r.nodeId());
        Checks.id("workflowId", r.workflowId());
        Checks.id("tenantId", r.tenantId());
        Checks.id("workspaceId", r.workspaceId());
        Checks.range("dagType", r.dagType(), 0, 5);
        Checks.range("taskType", r.taskType(), 0, 7);
        Checks.range("status", r.status(), 1, 8);
        Checks.present("opCode", r.opCode());
        Checks.epochMillis("createTime", r.createTime(), true);
        Checks.epochMillis("modifyTime", r.modifyTime(), true);
        Checks.epochMillis("beginWaitTimeTime", r.beginWaitTimeTime(), false);
        Checks.epochMillis("beginWaitResTime", r.beginWaitResTime(), false);
        Checks.epochMillis("beginRunningTime", r.beginRunningTime(), false);
        Checks.epochMillis("finishTime", r.finishTime(), false);
    }

    @Override
    public EventDraft draft(InstanceChangeRecord r, String eventId, TenantEntry tenant) {
        ObjectNode data = json.createObjectNode();
        // Lifecycle timestamps appear once the instance reached that phase (schema README, ambiguity 4).
        putIfPresent(data, "beginWaitTimeTime", r.beginWaitTimeTime());
        putIfPresent(data, "beginWaitResTime", r.beginWaitResTime());
        putIfPresent(data, "beginRunningTime", r.beginRunningTime());
        putIfPresent(data, "finishTime", r.finishTime());
        data.put("dagId", r.dagInstanceId());
        data.put("dagType", r.dagType());
        data.put("taskType", r.taskType());
        data.put("eventCode", EventType.INSTANCE_STATUS_CHANGES.eventCode());
        data.put("modifyTime", r.modifyTime());
        data.put("createTime", r.createTime());
        data.put("appId", r.workspaceId());
        data.put("tenantId", r.tenantId());
        data.put("opCode", r.opCode());
        data.put("flowId", Flows.flowId(r.dagType(), r.workflowId()));
        data.put("workflowId", r.workflowId());
        data.put("nodeId", r.nodeId());
        data.put("taskId", r.taskInstanceId());
        data.put("status", r.status());
        return new EventDraft(eventId, EventType.INSTANCE_STATUS_CHANGES, r.tenantId(), r.workspaceId(),
                String.valueOf(r.taskInstanceId()), Instant.ofEpochMilli(r.modifyTime()),
                EventTimes.zone(tenant.timeZone()),
                "workspace/" + r.workspaceId() + "/instance/" + r.taskInstanceId(), data);
    }

    private static void putIfPresent(ObjectNode data, String field, Long value) {
        if (value != null) {
            data.put(field, value);
        }
    }
}
