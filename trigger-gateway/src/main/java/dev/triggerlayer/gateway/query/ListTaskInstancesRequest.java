package dev.triggerlayer.gateway.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.auth.Authorizer;
import dev.triggerlayer.gateway.rpc.ApiException;
import dev.triggerlayer.gateway.rpc.RpcParams;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The official ListTaskInstances request (2024-05-18) turned into a query of the scheduler's API
 * (contracts/gateway-queries.md). Every official parameter is implemented; any other parameter is
 * refused by name, never dropped. Filters are ANDed; one the system can never satisfy (a task type
 * it has no nodes of, say) gives an empty page without asking the scheduler.
 */
final class ListTaskInstancesRequest {

    static final Set<String> PARAMETERS = Set.of("Bizdate", "Filter", "Id", "Ids", "Owner", "PageNumber", "PageSize", "ProjectEnv",
            "ProjectId", "RuntimeResource", "SortBy", "Status", "TaskId", "TaskIds", "TaskName", "TaskType", "TriggerRecurrence",
            "TriggerType", "UnifiedWorkflowInstanceId", "WorkflowId", "WorkflowInstanceId", "WorkflowInstanceType");
    static final int DEFAULT_PAGE_SIZE = 10, MAX_PAGE_SIZE = 500, MAX_IDS = 1000;
    private static final Set<String> SORT_FIELDS = Set.of("TriggerTime", "StartedTime", "FinishedTime", "CreateTime", "Id");
    private static final Map<String, String> FILTER_KEYS = Map.of("startedTimeStart", "StartedAfter", "startedTimeEnd", "StartedBefore",
            "finishedTimeStart", "FinishedAfter", "finishedTimeEnd", "FinishedBefore", "createTimeStart", "CreatedAfter",
            "createTimeEnd", "CreatedBefore");
    private static final Map<String, Integer> DAG_TYPES = Map.of("Normal", 0, "Manual", 1, "SmokeTest", 2, "SupplementData", 3,
            "ManualWorkflow", 4, "ManualFlow", 5, "TriggerWorkflow", 5);
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final long MAX_MILLIS = 253_402_300_799_999L;

    /** The node scheduling types of the scheduler, and what the official request calls them. */
    enum SchedulerType { NORMAL, MANUAL, PAUSE, SKIP, SKIP_UNCHOOSE, SKIP_CYCLE, CONDITION_UNCHOOSE, REALTIME_DEPRECATED }

    final long projectId;
    final int pageNumber;
    final int pageSize;
    /** The scheduler query, or null when no instance can match. */
    final Map<String, String> query;

    private ListTaskInstancesRequest(long projectId, int pageNumber, int pageSize, Map<String, String> query) {
        this.projectId = projectId;
        this.pageNumber = pageNumber;
        this.pageSize = pageSize;
        this.query = query;
    }

    static ListTaskInstancesRequest parse(RpcParams p, Authorizer.ReadScope scope, ObjectMapper json) {
        p.onlyThese("ListTaskInstances", PARAMETERS);
        long projectId = p.requiredLong("ProjectId");
        int pageNumber = (int) bounded(p, "PageNumber", 1, 1_000_000, 1);
        int pageSize = (int) bounded(p, "PageSize", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
        Map<String, String> q = new HashMap<>();
        boolean none = false;
        q.put("ProjectId", String.valueOf(projectId));
        q.put("PageNumber", String.valueOf(pageNumber));
        q.put("PageSize", String.valueOf(pageSize));
        q.put("SortBy", sortBy(p.string("SortBy")));
        String env = p.string("ProjectEnv");
        if (env != null) {
            q.put("ProjectEnv", p.env("ProjectEnv"));
        }
        Long bizdate = millis(p, "Bizdate");
        if (bizdate != null) {
            q.put("BizDate", String.valueOf(bizdate)); // an instant: the scheduler compares it in each workflow's zone
        }
        putLong(p, q, "Id", "Id");
        List<Long> ids = idList(p, "Ids", json);
        if (ids != null) {
            if (ids.isEmpty()) {
                none = true;
            } else {
                q.put("Ids", join(ids));
            }
        }
        putLong(p, q, "TaskId", "TaskId");
        List<Long> taskIds = idList(p, "TaskIds", json);
        if (scope.nodes() != null) {
            // A grant reads only its nodes: the caller's TaskIds, if any, within them.
            Set<Long> readable = new LinkedHashSet<>(scope.nodes());
            if (taskIds != null) {
                readable.retainAll(taskIds);
            }
            taskIds = List.copyOf(readable);
        }
        if (taskIds != null) {
            if (taskIds.isEmpty()) {
                none = true;
            } else {
                q.put("TaskIds", join(taskIds));
            }
        }
        putString(p, q, "TaskName", "TaskName", 128);
        putString(p, q, "Owner", "Owner", 64);
        putString(p, q, "RuntimeResource", "ResourceGroup", 64);
        putLong(p, q, "WorkflowId", "WorkflowId");
        Long workflowInstance = p.optionalLong("WorkflowInstanceId");
        Long unified = p.optionalLong("UnifiedWorkflowInstanceId");
        if (workflowInstance != null && unified != null && !workflowInstance.equals(unified)) {
            none = true; // one workflow instance is its own unified instance here
        }
        Long anyInstance = workflowInstance != null ? workflowInstance : unified;
        if (anyInstance != null) {
            q.put("WorkflowInstanceId", String.valueOf(anyInstance));
        }
        String taskType = p.string("TaskType");
        if (taskType != null) {
            String nodeType = OfficialTaskInstance.nodeType(taskType);
            if (nodeType == null) {
                if (!TYPE_NAME.matcher(taskType).matches()) {
                    throw ApiException.invalid("TaskType", "it must be a task type name such as SCHEDULER_TRIGGER or DIDE_SHELL.");
                }
                none = true; // a real product type, of which this system has no nodes
            } else {
                q.put("TaskType", nodeType);
            }
        }
        EnumSet<SchedulerType> types = EnumSet.allOf(SchedulerType.class);
        String triggerType = p.string("TriggerType");
        if (triggerType != null) {
            switch (triggerType) {
                case "Scheduler" -> types.remove(SchedulerType.MANUAL);
                case "Manual" -> types.retainAll(EnumSet.of(SchedulerType.MANUAL));
                default -> throw ApiException.invalid("TriggerType", "it must be Scheduler or Manual.");
            }
        }
        String recurrence = p.string("TriggerRecurrence");
        if (recurrence != null) {
            switch (recurrence) {
                case "Normal" -> types.retainAll(EnumSet.of(SchedulerType.NORMAL, SchedulerType.MANUAL));
                case "Pause" -> types.retainAll(EnumSet.of(SchedulerType.PAUSE));
                case "Skip" -> types.retainAll(EnumSet.of(SchedulerType.SKIP, SchedulerType.SKIP_UNCHOOSE, SchedulerType.SKIP_CYCLE,
                        SchedulerType.CONDITION_UNCHOOSE));
                default -> throw ApiException.invalid("TriggerRecurrence", "it must be Normal, Pause or Skip.");
            }
        }
        if (types.isEmpty()) {
            none = true;
        } else if (types.size() < SchedulerType.values().length) {
            q.put("SchedulerType", types.stream().map(Enum::name).collect(Collectors.joining(",")));
        }
        String dagType = p.string("WorkflowInstanceType");
        if (dagType != null) {
            Integer code = DAG_TYPES.get(dagType);
            if (code == null) {
                throw ApiException.invalid("WorkflowInstanceType", "it must be one of " + new java.util.TreeSet<>(DAG_TYPES.keySet()) + ".");
            }
            q.put("DagType", String.valueOf(code));
        }
        String status = p.string("Status");
        if (status != null) {
            Integer code = OfficialTaskInstance.statusCode(status);
            if (code == null) {
                throw ApiException.invalid("Status", "it must be one of " + OfficialTaskInstance.STATUSES + ".");
            }
            // WaitTime answers cover instances waiting for their time and those waiting for their trigger: filter by the code.
            q.put("StatusCode", String.valueOf(code));
        }
        String filter = p.string("Filter");
        if (filter != null) {
            filter(filter, q, json);
        }
        return new ListTaskInstancesRequest(projectId, pageNumber, pageSize, none ? null : q);
    }

    private static String sortBy(String raw) {
        if (raw == null) {
            return "Id Desc";
        }
        String[] parts = raw.trim().split(" +");
        if (parts.length != 2 || !SORT_FIELDS.contains(parts[0]) || !(parts[1].equals("Asc") || parts[1].equals("Desc"))) {
            throw ApiException.invalid("SortBy", "it must be one of " + new java.util.TreeSet<>(SORT_FIELDS) + " followed by Asc or Desc.");
        }
        return parts[0] + " " + parts[1];
    }

    /** The Filter parameter: a JSON object of time bounds (epoch ms, as numbers or numeric strings). */
    private static void filter(String raw, Map<String, String> q, ObjectMapper json) {
        if (raw.length() > 2000) {
            throw ApiException.invalid("Filter", "it is longer than 2000 characters.");
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (Exception e) {
            throw ApiException.invalid("Filter", "it must be a JSON object.");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("Filter", "it must be a JSON object.");
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String target = FILTER_KEYS.get(e.getKey());
            if (target == null) {
                throw ApiException.invalid("Filter", "it has no key '" + abbreviate(e.getKey()) + "'; the keys are "
                        + new java.util.TreeSet<>(FILTER_KEYS.keySet()) + ".");
            }
            String value = e.getValue().isNumber() || e.getValue().isTextual() ? e.getValue().asText() : "";
            if (!value.matches("[0-9]{1,15}") || Long.parseLong(value) > MAX_MILLIS) {
                throw ApiException.invalid("Filter", e.getKey() + " must be epoch milliseconds.");
            }
            q.put(target, value);
        }
    }

    /** A list of ids as the SDK sends it: a JSON array text ({@code [1,2]}). */
    private static List<Long> idList(RpcParams p, String name, ObjectMapper json) {
        String raw = p.string(name);
        if (raw == null) {
            return null;
        }
        if (raw.length() > MAX_IDS * 21) {
            throw ApiException.invalid(name, "at most " + MAX_IDS + " ids.");
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isArray()) {
            throw ApiException.invalid(name, "it must be a JSON array of ids, such as [1,2].");
        }
        if (node.size() > MAX_IDS) {
            throw ApiException.invalid(name, "at most " + MAX_IDS + " ids.");
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() < 1) {
                throw ApiException.invalid(name, "every id must be a positive integer.");
            }
            ids.add(n.asLong());
        }
        return ids;
    }

    private static long bounded(RpcParams p, String name, long min, long max, long fallback) {
        Long v = p.optionalLong(name);
        if (v == null) {
            return fallback;
        }
        if (v < min || v > max) {
            throw ApiException.invalid(name, "it must be from " + min + " to " + max + ".");
        }
        return v;
    }

    private static Long millis(RpcParams p, String name) {
        Long v = p.optionalLong(name);
        if (v != null && v > MAX_MILLIS) {
            throw ApiException.invalid(name, "it must be epoch milliseconds.");
        }
        return v;
    }

    private static void putLong(RpcParams p, Map<String, String> q, String name, String target) {
        Long v = p.optionalLong(name);
        if (v != null) {
            q.put(target, String.valueOf(v));
        }
    }

    private static void putString(RpcParams p, Map<String, String> q, String name, String target, int max) {
        String v = p.string(name);
        if (v != null) {
            if (v.length() > max) {
                throw ApiException.invalid(name, "it is longer than " + max + " characters.");
            }
            q.put(target, v);
        }
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
