package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.EventType;
import dev.triggerlayer.publisher.event.model.WorkspaceEventRecord;

import java.time.Instant;

/**
 * {@code registry.workspace-events} {@code workspace-deleted} → {@code project-deleted}
 * ({@code contracts/events/project-deleted.schema.json}), reference 002's post-event of a
 * workspace deletion: {@code eventCode}, {@code tenantId}, {@code blockBusiness} (false: the
 * deletion is done), {@code projectName}, {@code projectId}, {@code operator}, {@code timestamp}
 * (the deletion's time, so a republished event is the same event). Keyed by the workspace id, as
 * the other workspace-level events; subject {@code workspace/<id>}.
 */
public final class ProjectDeletedMapper implements ChangeMapper<WorkspaceEventRecord> {

    static final String WORKSPACE_DELETED = "workspace-deleted";

    private final ObjectMapper json;

    public ProjectDeletedMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Class<WorkspaceEventRecord> recordType() {
        return WorkspaceEventRecord.class;
    }

    @Override
    public void validate(WorkspaceEventRecord r) {
        if (!WORKSPACE_DELETED.equals(r.type())) {
            throw new IllegalArgumentException("type must be " + WORKSPACE_DELETED + ", got " + r.type());
        }
        Checks.id("tenantId", r.tenantId());
        Checks.id("workspaceId", r.workspaceId());
        Checks.text("workspaceName", r.workspaceName());
        Checks.text("operator", r.operator());
        Checks.epochMillis("deletedAt", r.deletedAt(), true);
    }

    @Override
    public EventDraft draft(WorkspaceEventRecord r, String eventId, TenantEntry tenant) {
        ObjectNode data = json.createObjectNode();
        data.put("eventCode", EventType.PROJECT_DELETED.eventCode());
        data.put("tenantId", r.tenantId());
        data.put("blockBusiness", false);
        data.put("projectName", r.workspaceName());
        data.put("projectId", r.workspaceId());
        data.put("operator", r.operator());
        data.put("timestamp", r.deletedAt());
        return new EventDraft(eventId, EventType.PROJECT_DELETED, r.tenantId(), r.workspaceId(), String.valueOf(r.workspaceId()),
                Instant.ofEpochMilli(r.deletedAt()), EventTimes.zone(tenant.timeZone()), "workspace/" + r.workspaceId(), data);
    }
}
