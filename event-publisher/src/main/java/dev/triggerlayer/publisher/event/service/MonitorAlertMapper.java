package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.AlertRecord;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code scheduler.alerts} → {@code workbench-monitor-alert} ({@code contracts/events/workbench-monitor-alert.schema.json}),
 * one event per alert, with reference 002's rule-alert payloads (docs/alerts.md):
 * <ul>
 *   <li>node rules: {@code alarmType} REMIND_ALERT, {@code nodeIds} and {@code taskIds} as
 *       comma-separated strings (in the same order, pairwise), {@code projectId}, {@code remindId},
 *       {@code remindName}, {@code remindType}, {@code remindUnit} NODE, {@code tenantId};</li>
 *   <li>resource-group rules: the same without the ids, with {@code resourceGroupIdentifier}
 *       and {@code resourceGroupName} (both the group's name: it is its identifier here) and
 *       {@code resourceGroupType} GATEWAY.</li>
 * </ul>
 * Key: the rule id, as on the input topic, so one rule's alerts stay in order. Subject:
 * {@code workspace/<id>/remind/<remindId>}.
 */
public final class MonitorAlertMapper implements ChangeMapper<AlertRecord> {

    static final String ALARM_TYPE = "REMIND_ALERT";
    private static final Set<String> NODE_TYPES = Set.of("ERROR", "TIMEOUT", "FINISHED", "UNFINISHED");
    private static final Set<String> GROUP_TYPES = Set.of("RES_GROUP_THRESHOLD", "RES_GROUP_WAIT_AMOUNT");

    private final ObjectMapper json;

    public MonitorAlertMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Class<AlertRecord> recordType() {
        return AlertRecord.class;
    }

    @Override
    public void validate(AlertRecord r) {
        Checks.id("tenantId", r.tenantId());
        Checks.id("workspaceId", r.workspaceId());
        Checks.id("remindId", r.remindId());
        Checks.text("remindName", r.remindName());
        Checks.epochMillis("firedAt", r.firedAt(), true);
        Checks.text("remindUnit", r.remindUnit());
        Checks.text("remindType", r.remindType());
        if (r.remindUnit().equals("NODE")) {
            if (!NODE_TYPES.contains(r.remindType())) {
                throw new IllegalArgumentException("remindType " + r.remindType() + " is not a NODE rule type");
            }
            Checks.ids("nodeIds", r.nodeIds(), 1);
            Checks.ids("taskIds", r.taskIds(), 1);
            if (r.nodeIds().size() != r.taskIds().size()) {
                throw new IllegalArgumentException("nodeIds and taskIds must pair up, got " + r.nodeIds().size() + " and " + r.taskIds().size());
            }
        } else if (r.remindUnit().equals("GATEWAY_RES")) {
            if (!GROUP_TYPES.contains(r.remindType())) {
                throw new IllegalArgumentException("remindType " + r.remindType() + " is not a GATEWAY_RES rule type");
            }
            Checks.text("resourceGroup", r.resourceGroup());
        } else {
            throw new IllegalArgumentException("remindUnit must be NODE or GATEWAY_RES, got " + r.remindUnit());
        }
    }

    @Override
    public EventDraft draft(AlertRecord r, String eventId, TenantEntry tenant) {
        ObjectNode data = json.createObjectNode();
        data.put("eventCode", EventType.WORKBENCH_MONITOR_ALERT.eventCode());
        data.put("alarmType", ALARM_TYPE);
        if (r.remindUnit().equals("NODE")) {
            data.put("nodeIds", joined(r.nodeIds()));
        }
        data.put("projectId", r.workspaceId());
        data.put("remindId", r.remindId());
        data.put("remindName", r.remindName());
        data.put("remindType", r.remindType());
        data.put("remindUnit", r.remindUnit());
        if (r.remindUnit().equals("NODE")) {
            data.put("taskIds", joined(r.taskIds()));
        } else {
            data.put("resourceGroupIdentifier", r.resourceGroup());
            data.put("resourceGroupName", r.resourceGroup());
            data.put("resourceGroupType", "GATEWAY");
        }
        data.put("tenantId", r.tenantId());
        return new EventDraft(eventId, EventType.WORKBENCH_MONITOR_ALERT, r.tenantId(), r.workspaceId(), String.valueOf(r.remindId()),
                Instant.ofEpochMilli(r.firedAt()), EventTimes.zone(tenant.timeZone()),
                "workspace/" + r.workspaceId() + "/remind/" + r.remindId(), data);
    }

    private static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
