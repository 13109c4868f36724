package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.DagChangeRecord;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.EventType;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * {@code scheduler.dag-changes} → {@code dag-status-changes}
 * ({@code contracts/events/dag-status-changes.schema.json}), for every DAG type (0-5): DESIGN.md
 * asks for every workflow-instance status change, not only backfills and manual workflows.
 * {@code bizDate} and {@code createTime} are zone-less text, written in the workflow's time zone
 * (the record's {@code timeZone}, else the tenant's), with {@code bizDate} at midnight.
 * {@code flowId}/{@code flowName} follow reference 002 ({@link Flows}); {@code workflowId} and
 * {@code workflowName} (ours) are the real workflow.
 */
public final class DagStatusMapper implements ChangeMapper<DagChangeRecord> {

    private static final Set<Integer> DAG_STATUSES = Set.of(1, 4, 5, 6);

    private final ObjectMapper json;

    public DagStatusMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Class<DagChangeRecord> recordType() {
        return DagChangeRecord.class;
    }

    @Override
    public void validate(DagChangeRecord r) {
        Checks.id("dagInstanceId", r.dagInstanceId());
        Checks.id("workflowId", r.workflowId());
        Checks.id("tenantId", r.tenantId());
        Checks.id("workspaceId", r.workspaceId());
        Checks.range("dagType", r.dagType(), 0, 5);
        if (r.status() == null || !DAG_STATUSES.contains(r.status())) {
            throw new IllegalArgumentException("status must be 1, 4, 5 or 6, got " + r.status());
        }
        Checks.environment(r.env());
        Checks.epochMillis("createTime", r.createTime(), true);
        Checks.epochMillis("modifyTime", r.modifyTime(), true);
        bizDate(r.bizDate(), ZoneId.of("UTC"));
    }

    @Override
    public EventDraft draft(DagChangeRecord r, String eventId, TenantEntry tenant) {
        ZoneId zone = EventTimes.zone(r.timeZone(), tenant.timeZone());
        ObjectNode data = json.createObjectNode();
        data.put("bizDate", EventTimes.LOCAL.format(bizDate(r.bizDate(), zone).atStartOfDay()));
        data.put("createTime", EventTimes.local(Instant.ofEpochMilli(r.createTime()), zone));
        data.put("dagId", r.dagInstanceId());
        data.put("dagName", r.dagName() == null ? "" : r.dagName());
        data.put("dagType", r.dagType());
        data.put("flowId", Flows.flowId(r.dagType(), r.workflowId()));
        data.put("flowName", Flows.flowName(r.dagType(), r.workflowName()));
        data.put("workflowId", r.workflowId());
        data.put("workflowName", Flows.nonNull(r.workflowName()));
        data.put("operator", r.operator() == null ? "" : r.operator());
        data.put("projectEnv", Checks.environment(r.env()));
        data.put("projectId", r.workspaceId());
        data.put("status", r.status());
        data.put("tenantId", r.tenantId());
        data.put("eventCode", EventType.DAG_STATUS_CHANGES.eventCode());
        return new EventDraft(eventId, EventType.DAG_STATUS_CHANGES, r.tenantId(), r.workspaceId(),
                String.valueOf(r.dagInstanceId()), Instant.ofEpochMilli(r.modifyTime()), zone,
                "workspace/" + r.workspaceId() + "/dag/" + r.dagInstanceId(), data);
    }

    /** {@code yyyy-MM-dd} as the contract says; epoch milliseconds are accepted too. */
    private static LocalDate bizDate(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("bizDate is required");
        }
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(text)).atZone(zone).toLocalDate();
            }
            return LocalDate.parse(text.trim());
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("bizDate must be yyyy-MM-dd, got " + text);
        }
    }
}
