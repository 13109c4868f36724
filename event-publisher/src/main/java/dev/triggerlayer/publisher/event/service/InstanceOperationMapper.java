package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.EventType;
import dev.triggerlayer.publisher.event.model.InstanceOperationRecord;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code scheduler.instance-operations} → the seven instance-change events
 * ({@code contracts/events/<operation>.schema.json}), one per record, chosen by its
 * {@code operation}. Three payload layouts, kept exactly as documented:
 * <ul>
 *   <li>freeze, unfreeze, kill, rerun, set success: {@code tenantId}, {@code projectId},
 *       {@code projectType}, {@code operator}, {@code taskIds};</li>
 *   <li>{@code delete-task-instance-dependencies}: {@code tenantId}, {@code appId},
 *       {@code taskInstanceId}, {@code upstreamTaskInstanceIds}, {@code operator},
 *       {@code operationTime}, {@code blockBusiness};</li>
 *   <li>{@code expired-task-instances-deleted}: {@code tenantId}, {@code appId},
 *       {@code deletedTaskInstanceIds}, {@code owner}, {@code operationTime},
 *       {@code blockBusiness}; no {@code operator} (documented as unused).</li>
 * </ul>
 * {@code blockBusiness} is always false: these are notifications after the fact, not extension
 * points that could hold the operation up.
 *
 * <p>Key: the workspace id, as on the input topic, so one workspace's operations stay in order
 * on the bus; a node change's is its node id (one node's changes stay in order, and the input
 * topic's workspace key already ordered them). Subject: {@code workspace/<id>/instance/<taskInstanceId>} for the dependency
 * removal (it concerns exactly one instance), {@code workspace/<id>} for the others (they concern
 * a set of instances, listed in {@code data}).
 */
public final class InstanceOperationMapper implements ChangeMapper<InstanceOperationRecord> {

    /** The operations that share the freeze-instance payload. */
    private static final Set<EventType> TASK_ID_OPERATIONS = EnumSet.of(EventType.FREEZE_INSTANCE,
            EventType.UNFREEZE_INSTANCE, EventType.KILL_INSTANCE, EventType.RERUN_INSTANCE, EventType.SET_INSTANCE_SUCCESS);
    /** The extension point events of those operations (reference 002, "Instance operation pre-events"). */
    private static final Set<EventType> PRE_EVENTS = EnumSet.of(EventType.PRE_FREEZE_INSTANCE, EventType.PRE_UNFREEZE_INSTANCE,
            EventType.PRE_RERUN_INSTANCE, EventType.PRE_SET_INSTANCE_SUCCESS, EventType.PRE_KILL_INSTANCE);
    /**
     * The node extension point events (reference 002: "node freeze, unfreeze, and undeploy events"),
     * and a workflow deploy's {@code deploy-file} in the same layout (the reference gives no payload
     * for it: docs/extensions.md).
     */
    private static final Set<EventType> NODE_PRE_EVENTS = EnumSet.of(EventType.FREEZE_NODE, EventType.UNFREEZE_NODE, EventType.UNDEPLOY_NODE,
            EventType.DEPLOY_FILE);

    /** Node changes after the fact (reference 002's Operation Center and Data Studio node change events). */
    private static final Set<EventType> NODE_CHANGES = EnumSet.of(EventType.NODE_CHANGE_CREATED, EventType.NODE_CHANGE_UPDATED,
            EventType.NODE_CHANGE_DELETED);
    /** The node members a node change copies from the record's {@code details}, with their reference names. */
    private static final List<String> NODE_TEXT = List.of("nodeName", "programType", "cronExpress", "schedulerType", "ownerId", "resourceGroup");
    /** The backfill-data members the scheduler sends in {@code details}, as documented (reference 002, node data backfill). */
    private static final List<String> BACKFILL_MEMBERS = List.of("name", "rootNodeId", "rootNodeProjectId", "includeNodeIds", "excludeNodeIds",
            "useMultipleTimePeriods", "multipleTimePeriods", "isParallel", "parallelGroup", "order", "startFutureInstanceImmediately");

    private final ObjectMapper json;

    public InstanceOperationMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Class<InstanceOperationRecord> recordType() {
        return InstanceOperationRecord.class;
    }

    @Override
    public void validate(InstanceOperationRecord r) {
        EventType type = type(r);
        Checks.id("tenantId", r.tenantId());
        Checks.id("workspaceId", r.workspaceId());
        Checks.epochMillis("operationTime", r.operationTime(), true);
        if (TASK_ID_OPERATIONS.contains(type)) {
            Checks.environment(r.env());
            Checks.text("operator", r.operator());
            // The schemas require at least one task id: an operation on nothing is not an event.
            Checks.ids("taskInstanceIds", r.taskInstanceIds(), 1);
        } else if (type == EventType.DELETE_PROJECT) {
            Checks.text("operator", r.operator());
            Checks.text("extensionBizId", r.extensionBizId());
        } else if (NODE_CHANGES.contains(type)) {
            Checks.text("operator", r.operator());
            Checks.ids("nodeIds", r.nodeIds(), 1);
            if (r.details() == null || !r.details().isObject()) {
                throw new IllegalArgumentException("details (the node) is required for " + type.eventCode());
            }
            for (String member : List.of("nodeName", "programType", "cronExpress", "schedulerType", "ownerId")) {
                Checks.text("details." + member, r.details().path(member).isTextual() ? r.details().path(member).asText() : null);
            }
            if (!r.details().path("priority").isInt()) {
                throw new IllegalArgumentException("details.priority must be an integer");
            }
        } else if (type == EventType.BACKFILL_DATA) {
            Checks.text("operator", r.operator());
            Checks.text("extensionBizId", r.extensionBizId());
            if (r.details() == null || !r.details().path("rootNodeId").canConvertToLong() || !r.details().path("name").isTextual()) {
                throw new IllegalArgumentException("details with the backfill's name and rootNodeId is required for backfill-data");
            }
        } else if (NODE_PRE_EVENTS.contains(type)) {
            Checks.text("operator", r.operator());
            Checks.ids("nodeIds", r.nodeIds(), 1);
            Checks.text("extensionBizId", r.extensionBizId());
        } else if (PRE_EVENTS.contains(type)) {
            Checks.text("operator", r.operator());
            Checks.ids("taskInstanceIds", r.taskInstanceIds(), 1);
            Checks.text("extensionBizId", r.extensionBizId());
            Checks.text("extensionBizName", r.extensionBizName());
        } else if (type == EventType.DELETE_TASK_INSTANCE_DEPENDENCIES) {
            Checks.text("operator", r.operator());
            Checks.ids("taskInstanceIds", r.taskInstanceIds(), 1);
            if (r.taskInstanceIds().size() != 1) {
                throw new IllegalArgumentException("taskInstanceIds must hold exactly one id for " + type.eventCode()
                        + ", got " + r.taskInstanceIds().size());
            }
            Checks.ids("upstreamTaskInstanceIds", r.upstreamTaskInstanceIds(), 0);
        } else {
            // No owner check: a node without owner still had its instances deleted, and the event
            // says so with an empty owner rather than not at all.
            Checks.ids("taskInstanceIds", r.taskInstanceIds(), 0);
        }
    }

    @Override
    public EventDraft draft(InstanceOperationRecord r, String eventId, TenantEntry tenant) {
        EventType type = type(r);
        ObjectNode data = json.createObjectNode();
        data.put("eventCode", type.eventCode());
        data.put("tenantId", r.tenantId());
        String subjectPath = "workspace/" + r.workspaceId();
        if (TASK_ID_OPERATIONS.contains(type)) {
            data.put("projectId", r.workspaceId());
            data.put("projectType", Checks.environment(r.env()));
            data.put("operator", r.operator());
            data.set("taskIds", ids(r.taskInstanceIds()));
        } else if (type == EventType.DELETE_PROJECT) {
            // Reference 002's workspace-deletion pre-event, with the held operation and the workspace's name.
            data.put("projectId", r.workspaceId());
            data.put("operator", r.operator());
            data.put("extensionBizId", r.extensionBizId());
            if (r.extensionBizName() != null) {
                data.put("extensionBizName", r.extensionBizName());
            }
            data.put("blockBusiness", true);
        } else if (NODE_CHANGES.contains(type)) {
            JsonNode node = r.details();
            long nodeId = r.nodeIds().get(0);
            for (String member : NODE_TEXT) {
                if (node.hasNonNull(member)) {
                    data.put(member, node.path(member).asText());
                }
            }
            data.put("priority", node.path("priority").asInt());
            data.put("repeatability", node.path("repeatability").asBoolean(true));
            // No baselines here: the member is sent, empty (docs: contracts/events/README.md).
            data.putNull("baselineId");
            putMillis(data, "createTime", node.path("createTime"), r.operationTime());
            putMillis(data, "modifyTime", node.path("modifyTime"), r.operationTime());
            data.put("nodeId", nodeId);
            data.put("projectId", r.workspaceId());
            data.put("operator", r.operator());
            data.put("blockBusiness", false);
            if (node.hasNonNull("workflowId")) {
                data.put("workflowId", node.path("workflowId").asLong());
            }
            return new EventDraft(eventId, type, r.tenantId(), r.workspaceId(), String.valueOf(nodeId),
                    Instant.ofEpochMilli(r.operationTime()), EventTimes.zone(tenant.timeZone()), subjectPath + "/node/" + nodeId, data);
        } else if (type == EventType.BACKFILL_DATA) {
            for (String member : BACKFILL_MEMBERS) {
                if (r.details().has(member)) {
                    data.set(member, r.details().get(member));
                }
            }
            data.put("projectId", r.workspaceId());
            data.put("operator", r.operator());
            data.put("extensionBizId", r.extensionBizId());
            data.put("blockBusiness", true);
        } else if (NODE_PRE_EVENTS.contains(type)) {
            data.put("operator", r.operator());
            data.put("projectId", r.workspaceId());
            data.set("nodeIds", ids(r.nodeIds()));
            data.put("extensionBizId", r.extensionBizId());
            if (r.extensionBizName() != null) {
                data.put("extensionBizName", r.extensionBizName());
            }
            data.put("blockBusiness", true);
        } else if (PRE_EVENTS.contains(type)) {
            // The operation waits for the answers: blockBusiness true, extensionBizId the held operation.
            data.put("extensionBizId", r.extensionBizId());
            data.put("extensionBizName", r.extensionBizName());
            data.put("projectId", r.workspaceId());
            data.set("taskIds", ids(r.taskInstanceIds()));
            data.put("operator", r.operator());
            data.put("blockBusiness", true);
        } else if (type == EventType.DELETE_TASK_INSTANCE_DEPENDENCIES) {
            long instance = r.taskInstanceIds().get(0);
            data.put("appId", r.workspaceId());
            data.put("taskInstanceId", instance);
            data.set("upstreamTaskInstanceIds", ids(r.upstreamTaskInstanceIds()));
            data.put("operator", r.operator());
            data.put("operationTime", r.operationTime());
            data.put("blockBusiness", false);
            subjectPath += "/instance/" + instance;
        } else {
            data.put("appId", r.workspaceId());
            data.set("deletedTaskInstanceIds", ids(r.taskInstanceIds()));
            data.put("owner", r.owner() == null ? "" : r.owner());
            data.put("operationTime", r.operationTime());
            data.put("blockBusiness", false);
        }
        return new EventDraft(eventId, type, r.tenantId(), r.workspaceId(), String.valueOf(r.workspaceId()),
                Instant.ofEpochMilli(r.operationTime()), EventTimes.zone(tenant.timeZone()), subjectPath, data);
    }

    /** The event an operation stands for; only the seven instance-change events are accepted. */
    private static EventType type(InstanceOperationRecord r) {
        Checks.text("operation", r.operation());
        return EventType.ofEventCode(r.operation())
                .filter(t -> TASK_ID_OPERATIONS.contains(t) || PRE_EVENTS.contains(t) || NODE_PRE_EVENTS.contains(t) || NODE_CHANGES.contains(t)
                        || t == EventType.BACKFILL_DATA || t == EventType.DELETE_PROJECT || t == EventType.DELETE_TASK_INSTANCE_DEPENDENCIES
                        || t == EventType.EXPIRED_TASK_INSTANCES_DELETED)
                .orElseThrow(() -> new IllegalArgumentException("operation " + r.operation() + " is not a documented instance operation"));
    }

    private static void putMillis(ObjectNode data, String field, JsonNode value, long fallback) {
        data.put(field, value.canConvertToLong() ? value.asLong() : fallback);
    }

    private ArrayNode ids(List<Long> ids) {
        ArrayNode array = json.createArrayNode();
        ids.forEach(array::add);
        return array;
    }
}
