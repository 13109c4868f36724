package dev.triggerlayer.gateway.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A scheduler task instance as the official 2024-05-18 models name and type it
 * (contracts/gateway-queries.md lists every field: filled, or not applicable and why). What the
 * models have no field for stays visible under {@code TriggerLayer}, a key no official model
 * uses, so the typed SDK ignores it and no official name changes meaning.
 */
final class OfficialTaskInstance {

    /** The official status values; WaitTrigger (waiting for its external trigger) is reported as WaitTime. */
    static final List<String> STATUSES = List.of("NotRun", "WaitTime", "WaitResource", "Running", "Failure", "Success", "Checking",
            "CheckingCondition");
    private static final Map<String, String> TASK_TYPES = Map.of("HTTP_TRIGGER", "SCHEDULER_TRIGGER", "SHELL", "DIDE_SHELL");
    private static final Map<String, String> RERUN_MODES = Map.of("ALL_ALLOWED", "AllAllowed", "FAILURE_ALLOWED", "FailureAllowed",
            "ALL_DENIED", "AllDenied");

    private OfficialTaskInstance() {
    }

    /** The official status of a scheduler status code (1-8), or null. */
    static String status(int code) {
        return code >= 1 && code <= 8 ? STATUSES.get(new int[] {0, 0, 1, 2, 3, 4, 5, 6, 7}[code]) : null;
    }

    /** The scheduler status code of an official status value, or null. */
    static Integer statusCode(String status) {
        int i = STATUSES.indexOf(status);
        return i < 0 ? null : new int[] {1, 2, 3, 4, 5, 6, 7, 8}[i];
    }

    /** The scheduler's node type for an official task type (CodeProgramType name), or null when it has none. */
    static String nodeType(String taskType) {
        for (var e : TASK_TYPES.entrySet()) {
            if (e.getValue().equals(taskType)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * Maps one instance. {@code detailed}: GetTaskInstance's shape (Script, Inputs) rather than
     * ListTaskInstances' (ScriptParameters); {@code ownTenant}: the caller belongs to the instance's
     * tenant: scripts and parameters are shown to it only, never through a cross-tenant grant.
     */
    static ObjectNode of(JsonNode s, boolean detailed, boolean ownTenant, ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("Id", s.path("Id").asLong());
        o.put("TaskId", s.path("TaskId").asLong());
        o.put("TaskName", s.path("TaskName").asText());
        o.put("TaskType", TASK_TYPES.getOrDefault(s.path("TaskType").asText(), s.path("TaskType").asText()));
        o.put("ProjectId", s.path("ProjectId").asLong());
        o.put("ProjectEnv", s.path("ProjectEnv").asText());
        o.put("WorkflowId", s.path("WorkflowId").asLong());
        o.put("WorkflowName", s.path("WorkflowName").asText());
        o.put("WorkflowInstanceId", s.path("WorkflowInstanceId").asLong());
        o.put("UnifiedWorkflowInstanceId", s.path("WorkflowInstanceId").asLong());
        o.put("WorkflowInstanceType", s.path("WorkflowInstanceType").asText("Normal"));
        o.put("TriggerTime", s.path("TriggerTime").asLong());
        o.put("Bizdate", s.path("BizDate").asLong());
        o.put("PeriodNumber", s.path("PeriodNumber").asInt(1));
        o.put("Status", status(s.path("StatusCode").asInt()));
        o.put("Priority", s.path("Priority").asInt());
        o.put("Owner", s.path("Owner").asText());
        o.put("CreateUser", s.path("Owner").asText());
        o.put("RerunMode", RERUN_MODES.getOrDefault(s.path("RerunMode").asText(), "AllAllowed"));
        o.put("Timeout", s.path("TimeoutSeconds").asInt());
        o.put("TriggerType", s.path("TriggerType").asText("Scheduler"));
        o.put("TriggerRecurrence", recurrence(s.path("SchedulerType").asText()));
        // An instance that has not run yet is on its first run.
        o.put("RunNumber", Math.max(1, s.path("RunNumber").asInt()));
        ObjectNode resource = o.putObject("RuntimeResource");
        resource.put("ResourceGroupId", s.path("ResourceGroup").asText());
        if (s.hasNonNull("Runner")) {
            ObjectNode runtime = o.putObject("Runtime");
            runtime.put("Gateway", s.path("Runner").asText());
            runtime.put("ProcessId", s.path("Id").asLong() + "_" + s.path("RunNumber").asInt());
        }
        copyTime(s, "CreateTime", o, "CreateTime");
        copyTime(s, "ModifyTime", o, "ModifyTime");
        copyTime(s, "WaitTimeStartedTime", o, "WaitingTriggerTime");
        copyTime(s, "WaitResourceStartedTime", o, "WaitingResourceTime");
        copyTime(s, "StartedTime", o, "StartedTime");
        copyTime(s, "FinishedTime", o, "FinishedTime");
        if (ownTenant && "SHELL".equals(s.path("TaskType").asText())) {
            String parameters = parameters(s.path("Parameters"));
            if (detailed) {
                ObjectNode script = o.putObject("Script");
                script.put("Content", s.path("Script").asText(""));
                script.put("Parameters", parameters);
                ArrayNode variables = o.putObject("Inputs").putArray("Variables");
                s.path("Parameters").fields().forEachRemaining(e -> variables.addObject()
                        .put("Name", e.getKey()).put("Type", "Constant").put("Value", e.getValue().asText()));
            } else {
                o.put("ScriptParameters", parameters);
            }
        }
        ObjectNode ours = o.putObject("TriggerLayer");
        ours.put("Status", s.path("Status").asText());
        ours.put("StatusCode", s.path("StatusCode").asInt());
        ours.put("TenantId", s.path("TenantId").asLong());
        ours.put("Frozen", s.path("Frozen").asBoolean());
        if (s.hasNonNull("CheckingOperationId")) {
            // An operation waits for extensions' answers on this instance (docs/extensions.md).
            ours.put("CheckingOperationId", s.path("CheckingOperationId").asText());
        }
        for (String f : List.of("TriggerRetainedTime", "TriggerExpireTime", "TriggerDroppedTime", "TriggeredTime")) {
            copyTime(s, f, ours, f);
        }
        return o;
    }

    private static void copyTime(JsonNode from, String name, ObjectNode to, String as) {
        if (from.hasNonNull(name)) {
            to.put(as, from.path(name).asLong());
        }
    }

    private static String recurrence(String schedulerType) {
        return switch (schedulerType) {
            case "PAUSE" -> "Pause";
            case "SKIP", "SKIP_UNCHOOSE", "SKIP_CYCLE", "CONDITION_UNCHOOSE" -> "Skip";
            default -> "Normal";
        };
    }

    /** {@code k1=v1 k2=v2}, as the product shows script parameters. */
    private static String parameters(JsonNode parameters) {
        StringJoiner out = new StringJoiner(" ");
        parameters.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        return out.toString();
    }
}
