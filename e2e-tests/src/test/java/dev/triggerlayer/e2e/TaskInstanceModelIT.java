package dev.triggerlayer.e2e;

import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.e2e.official.GetTaskInstanceAnswer;
import dev.triggerlayer.e2e.official.ListTaskInstancesAnswer;
import dev.triggerlayer.e2e.official.OfficialModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GetTaskInstance and ListTaskInstances answers of the real gateway and scheduler, mapped through
 * the official models with the SDK's own {@code TeaModel.toModel}: for HTTP trigger and shell
 * instances in every status this system produces, no official field it can fill is null, the
 * values are the official ones, and each official filter narrows the list as documented
 * (contracts/gateway-queries.md).
 */
class TaskInstanceModelIT {

    static final long TENANT_B = 1002, WORKSPACE_B = 2002;
    static final long FLOW = 5600, T_WAIT = 5601, S_AFTER = 5602, S_FAIL = 5603, S_HOLD = 5604, S_QUEUED = 5605, T_BLOCKED = 5606;
    /** Official fields this system has no data for (the contract says why). */
    static final Set<String> NOT_APPLICABLE = Set.of("BaselineId", "DataSource", "Description", "ModifyUser", "Outputs", "Tags",
            "RuntimeResource.Cu", "RuntimeResource.Image");

    static TriggerLayer system;
    static Properties keys;
    static Path done;
    static LocalDate yesterday, tomorrow;
    static long startedAfter;

    @BeforeAll
    static void start() throws Exception {
        system = TriggerLayer.shared();
        keys = system.credentials();
        done = system.scriptFiles.resolve("model-done-" + UUID.randomUUID());
        yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        tomorrow = yesterday.plusDays(2);
        startedAfter = System.currentTimeMillis() - 1;
        system.call("PUT", system.scheduler, "/api/v1/resource-groups/e2e-one", "{\"slots\":1}");
        String hold = "while [ ! -f \\\"$DONE\\\" ]; do sleep 0.2; done";
        String params = "{\"DONE\":\"" + done + "\"}";
        system.call("POST", system.scheduler, "/api/v1/workflows", "{\"id\":" + FLOW + ",\"tenantId\":" + TENANT_B + ",\"workspaceId\":"
                + WORKSPACE_B + ",\"env\":\"Prod\",\"name\":\"model_flow\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                + node(T_WAIT, "t_wait", "HTTP_TRIGGER", null, null, null, null) + ","
                + node(S_AFTER, "s_after", "SHELL", "echo after", null, null, T_WAIT) + ","
                + node(S_FAIL, "s_fail", "SHELL", "exit 3", null, null, null) + ","
                + node(S_HOLD, "s_hold", "SHELL", hold, params, "e2e-one", null) + ","
                + node(S_QUEUED, "s_queued", "SHELL", hold, params, "e2e-one", null) + ","
                + node(T_BLOCKED, "t_blocked", "HTTP_TRIGGER", null, null, null, S_HOLD) + "]}");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/deploy", "");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/generate?date=" + yesterday, "");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/generate?date=" + tomorrow, "");
    }

    @AfterAll
    static void release() throws Exception {
        Files.createFile(done);
    }

    @Test
    void answersMapOntoTheOfficialModelsInEveryStatusAndEveryFilterNarrows() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> status(T_WAIT, yesterday).equals("WaitTrigger")
                && status(S_FAIL, yesterday).equals("Failure")
                && Set.of(status(S_HOLD, yesterday), status(S_QUEUED, yesterday)).equals(Set.of("Running", "WaitResource")));
        assertEquals("NotRun", status(S_AFTER, yesterday));
        assertEquals("NotRun", status(T_BLOCKED, yesterday));
        assertEquals("WaitTime", status(T_WAIT, tomorrow));
        assertEquals("WaitTime", status(S_FAIL, tomorrow));

        Set<String> seen = new HashSet<>();
        for (long node : List.of(T_WAIT, S_AFTER, S_FAIL, S_HOLD, S_QUEUED, T_BLOCKED)) {
            for (LocalDate day : List.of(yesterday, tomorrow)) {
                seen.add(checkGet(node, day));
            }
        }
        // The trigger arrives: the waiting HTTP trigger node and its downstream succeed.
        Map<String, Object> triggered = call("TENANT_B", "TriggerSchedulerTaskInstance", Map.of("TaskId", T_WAIT, "EnvType", "Prod",
                "TriggerTime", yesterday.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli()));
        assertEquals(Boolean.TRUE, triggered.get("Success"));
        await().atMost(Duration.ofSeconds(60)).until(() -> status(S_AFTER, yesterday).equals("Success"));
        seen.add(checkGet(T_WAIT, yesterday));
        seen.add(checkGet(S_AFTER, yesterday));
        assertEquals(Set.of("SCHEDULER_TRIGGER NotRun", "SCHEDULER_TRIGGER WaitTime", "SCHEDULER_TRIGGER WaitTime/WaitTrigger",
                "SCHEDULER_TRIGGER Success", "DIDE_SHELL NotRun", "DIDE_SHELL WaitTime", "DIDE_SHELL WaitResource", "DIDE_SHELL Running",
                "DIDE_SHELL Failure", "DIDE_SHELL Success"), seen);

        checkList();
        checkFilters();
        checkCrossTenantReadsShowNoScript();
    }

    /** GetTaskInstance of one instance, mapped; returns "TaskType Status[/ours]". */
    private String checkGet(long node, LocalDate day) throws Exception {
        JsonNode own = instance(node, day);
        Map<String, Object> body = call("TENANT_B", "GetTaskInstance", Map.of("Id", own.path("Id").asLong()));
        GetTaskInstanceAnswer answer = OfficialModels.map(body, GetTaskInstanceAnswer.class);
        Set<String> ignored = new HashSet<>();
        notApplicable(own, "TaskInstance.", true).forEach(ignored::add);
        assertEquals(List.of(), OfficialModels.nullFields(answer, ignored), own.toString());
        GetTaskInstanceAnswer.TaskInstance t = answer.taskInstance;
        assertEquals(own.path("Id").asLong(), t.id);
        assertEquals(day.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), t.bizdate);
        assertEquals(day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli(), t.triggerTime);
        assertTrue(t.runNumber >= 1);
        assertEquals("Normal", t.triggerRecurrence);
        assertEquals("Scheduler", t.triggerType);
        assertEquals("Normal", t.workflowInstanceType);
        assertEquals("AllAllowed", t.rerunMode);
        assertEquals("model_flow", t.workflowName);
        assertEquals(t.workflowInstanceId, t.unifiedWorkflowInstanceId);
        assertTrue(List.of("NotRun", "WaitTime", "WaitResource", "Running", "Failure", "Success", "Checking", "CheckingCondition")
                .contains(t.status), t.status);
        if (t.taskType.equals("DIDE_SHELL")) {
            assertEquals(own.path("Script").asText(), t.script.content);
        }
        String ours = ((Map<?, ?>) ((Map<?, ?>) body.get("TaskInstance")).get("TriggerLayer")).get("Status").toString();
        return t.taskType + " " + t.status + (ours.equals(t.status) ? "" : "/" + ours);
    }

    private void checkList() throws Exception {
        Map<String, Object> body = call("TENANT_B", "ListTaskInstances", Map.of("ProjectId", WORKSPACE_B, "WorkflowId", FLOW, "PageSize", 100));
        ListTaskInstancesAnswer answer = OfficialModels.map(body, ListTaskInstancesAnswer.class);
        assertEquals(12, answer.pagingInfo.totalCount);
        assertEquals(12, answer.pagingInfo.taskInstances.size());
        for (ListTaskInstancesAnswer.TaskInstances t : answer.pagingInfo.taskInstances) {
            JsonNode own = system.call("GET", system.scheduler, "/api/v1/instances/" + t.id, null);
            Set<String> ignored = new HashSet<>();
            notApplicable(own, "", false).forEach(ignored::add);
            assertEquals(List.of(), OfficialModels.nullFields(t, ignored), own.toString());
        }
    }

    private void checkFilters() throws Exception {
        long failed = instance(S_FAIL, yesterday).path("Id").asLong();
        long after = instance(S_AFTER, yesterday).path("Id").asLong();
        long dag = instance(S_FAIL, yesterday).path("WorkflowInstanceId").asLong();
        long bizdate = yesterday.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        Map<String, Map<String, Object>> filters = new java.util.LinkedHashMap<>();
        filters.put("none", Map.of());
        expected.put("none", 12);
        put(filters, expected, "Bizdate", Map.of("Bizdate", bizdate), 6);
        put(filters, expected, "Bizdate of another zone's midnight", Map.of("Bizdate", bizdate - 8 * 3_600_000), 0);
        put(filters, expected, "TaskId", Map.of("TaskId", S_FAIL), 2);
        put(filters, expected, "TaskIds", Map.of("TaskIds", "[" + T_WAIT + "," + S_FAIL + "]"), 4);
        put(filters, expected, "Id", Map.of("Id", failed), 1);
        put(filters, expected, "Ids", Map.of("Ids", "[" + failed + "," + after + "]"), 2);
        put(filters, expected, "Status Failure", Map.of("Status", "Failure"), 1);
        put(filters, expected, "Status Success", Map.of("Status", "Success"), 2);
        put(filters, expected, "Status WaitTime", Map.of("Status", "WaitTime"), schedulerCount("StatusCode=2"));
        put(filters, expected, "TaskType trigger", Map.of("TaskType", "SCHEDULER_TRIGGER"), 4);
        put(filters, expected, "TaskType shell", Map.of("TaskType", "DIDE_SHELL"), 8);
        put(filters, expected, "TaskType other", Map.of("TaskType", "ODPS_SQL"), 0);
        put(filters, expected, "TaskName", Map.of("TaskName", "BLOCK"), 2);
        put(filters, expected, "Owner", Map.of("Owner", "e2e"), 12);
        put(filters, expected, "Owner other", Map.of("Owner", "someone-else"), 0);
        put(filters, expected, "WorkflowInstanceId", Map.of("WorkflowInstanceId", dag), 6);
        put(filters, expected, "UnifiedWorkflowInstanceId", Map.of("UnifiedWorkflowInstanceId", dag), 6);
        put(filters, expected, "WorkflowInstanceType Normal", Map.of("WorkflowInstanceType", "Normal"), 12);
        put(filters, expected, "WorkflowInstanceType SupplementData", Map.of("WorkflowInstanceType", "SupplementData"), 0);
        put(filters, expected, "TriggerType Scheduler", Map.of("TriggerType", "Scheduler"), 12);
        put(filters, expected, "TriggerType Manual", Map.of("TriggerType", "Manual"), 0);
        put(filters, expected, "TriggerRecurrence Normal", Map.of("TriggerRecurrence", "Normal"), 12);
        put(filters, expected, "TriggerRecurrence Pause", Map.of("TriggerRecurrence", "Pause"), 0);
        put(filters, expected, "RuntimeResource", Map.of("RuntimeResource", "e2e-one"), 4);
        put(filters, expected, "ProjectEnv Prod", Map.of("ProjectEnv", "Prod"), 12);
        put(filters, expected, "ProjectEnv Dev", Map.of("ProjectEnv", "Dev"), 0);
        put(filters, expected, "Filter started", Map.of("Filter", "{\"startedTimeStart\":\"" + startedAfter + "\"}"),
                schedulerCount("StartedAfter=" + startedAfter));
        put(filters, expected, "Filter finished", Map.of("Filter", "{\"finishedTimeStart\":" + startedAfter + "}"),
                schedulerCount("FinishedAfter=" + startedAfter));
        put(filters, expected, "Filter created", Map.of("Filter", "{\"createTimeEnd\":\"" + startedAfter + "\"}"), 0);
        for (var e : filters.entrySet()) {
            Map<String, Object> params = new HashMap<>(e.getValue());
            params.put("ProjectId", WORKSPACE_B);
            params.put("WorkflowId", FLOW);
            params.put("PageSize", 100);
            ListTaskInstancesAnswer page = OfficialModels.map(call("TENANT_B", "ListTaskInstances", params), ListTaskInstancesAnswer.class);
            assertEquals(expected.get(e.getKey()), page.pagingInfo.totalCount, e.getKey());
            assertEquals(expected.get(e.getKey()), page.pagingInfo.taskInstances.size(), e.getKey());
        }
        assertTrue(expected.get("Filter started") >= 3, "the failed, the running and the succeeded shell instances started");

        // Paging and sorting: PageSize 10 and Id Desc unless told otherwise.
        ListTaskInstancesAnswer first = OfficialModels.map(call("TENANT_B", "ListTaskInstances", Map.of("ProjectId", WORKSPACE_B,
                "WorkflowId", FLOW)), ListTaskInstancesAnswer.class);
        assertEquals(10, first.pagingInfo.pageSize);
        assertEquals(1, first.pagingInfo.pageNumber);
        assertEquals(10, first.pagingInfo.taskInstances.size());
        List<Long> ids = first.pagingInfo.taskInstances.stream().map(t -> t.id).toList();
        assertEquals(ids.stream().sorted(java.util.Comparator.reverseOrder()).toList(), ids, "Id Desc by default");
        ListTaskInstancesAnswer second = OfficialModels.map(call("TENANT_B", "ListTaskInstances", Map.of("ProjectId", WORKSPACE_B,
                "WorkflowId", FLOW, "PageNumber", 2, "SortBy", "Id Asc")), ListTaskInstancesAnswer.class);
        List<Long> ascending = second.pagingInfo.taskInstances.stream().map(t -> t.id).toList();
        assertEquals(2, ascending.size());
        assertTrue(ascending.get(0) < ascending.get(1));
        assertEquals(ids.get(1), ascending.get(0), "page 2 ascending starts after the 10 smallest");
    }

    /** Tenant A, under a grant of B for one node: reads that node's instances, never their scripts, and no other node's. */
    private void checkCrossTenantReadsShowNoScript() throws Exception {
        long shell = instance(S_FAIL, yesterday).path("Id").asLong();
        long other = instance(S_HOLD, yesterday).path("Id").asLong();
        JsonNode grant = system.call("POST", system.registry, "/api/v1/grants", "{\"tenantId\":" + TENANT_B + ",\"workspaceId\":" + WORKSPACE_B
                + ",\"granteeUserId\":1101,\"nodeIds\":[" + S_FAIL + "],\"expiresAt\":\"" + java.time.Instant.now().plus(Duration.ofDays(1)) + "\"}");
        try {
            // The grant reaches the gateway over the registry's change feed.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> call("TENANT_A", "GetTaskInstance", Map.of("Id", shell)) != null);
            Map<?, ?> seenByA = (Map<?, ?>) call("TENANT_A", "GetTaskInstance", Map.of("Id", shell)).get("TaskInstance");
            assertEquals("Failure", seenByA.get("Status"));
            assertFalse(seenByA.containsKey("Script"), "a grant reads instances, never scripts");
            assertFalse(seenByA.containsKey("Inputs"));
            assertEquals("Forbidden.NoPermission", refusal(() -> call("TENANT_A", "GetTaskInstance", Map.of("Id", other))));
            ListTaskInstancesAnswer page = OfficialModels.map(call("TENANT_A", "ListTaskInstances", Map.of("ProjectId", WORKSPACE_B,
                    "WorkflowId", FLOW, "PageSize", 100)), ListTaskInstancesAnswer.class);
            assertEquals(2, page.pagingInfo.totalCount, "only the granted node's two instances");
            assertTrue(page.pagingInfo.taskInstances.stream().allMatch(t -> t.taskId == S_FAIL && t.scriptParameters == null));
        } finally {
            system.call("DELETE", system.registry, "/api/v1/grants/" + grant.path("id").asLong(), null);
        }
    }

    private static String refusal(java.util.concurrent.Callable<?> call) throws Exception {
        try {
            call.call();
        } catch (com.aliyun.tea.TeaException e) {
            return e.getCode();
        }
        throw new AssertionError("the call was accepted");
    }

    /** The official paths this instance cannot fill: always the not-applicable ones, the rest when the scheduler has no data. */
    private static List<String> notApplicable(JsonNode own, String prefix, boolean detailed) {
        List<String> out = new ArrayList<>();
        NOT_APPLICABLE.forEach(f -> out.add(prefix + f));
        Map<String, String> sources = Map.of("StartedTime", "StartedTime", "FinishedTime", "FinishedTime",
                "WaitingTriggerTime", "WaitTimeStartedTime", "WaitingResourceTime", "WaitResourceStartedTime", "Runtime", "Runner");
        sources.forEach((official, source) -> {
            if (!own.hasNonNull(source)) {
                out.add(prefix + official);
            }
        });
        boolean shell = own.path("TaskType").asText().equals("SHELL");
        if (detailed) {
            out.add(prefix + "Inputs.Variables[]"); // the elements are checked by value above; an empty list is not null
            if (!shell) {
                out.add(prefix + "Script");
                out.add(prefix + "Inputs");
            }
        } else if (!shell) {
            out.add(prefix + "ScriptParameters");
        }
        return out;
    }

    private static void put(Map<String, Map<String, Object>> filters, Map<String, Integer> expected, String name, Map<String, Object> f, int n) {
        filters.put(name, f);
        expected.put(name, n);
    }

    /** What the scheduler's own API counts for this filter of the flow's instances. */
    private static int schedulerCount(String filter) throws Exception {
        return system.call("GET", system.scheduler, "/api/v1/instances?ProjectId=" + WORKSPACE_B + "&WorkflowId=" + FLOW + "&PageSize=100&"
                + filter, null).path("PagingInfo").path("TotalCount").asInt();
    }

    private static String status(long node, LocalDate day) throws Exception {
        return instance(node, day).path("Status").asText();
    }

    private static JsonNode instance(long node, LocalDate day) throws Exception {
        long cyc = day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        JsonNode page = system.call("GET", system.scheduler, "/api/v1/instances?ProjectId=" + WORKSPACE_B + "&TaskId=" + node + "&TriggerTime=" + cyc, null);
        return page.path("PagingInfo").path("TaskInstances").path(0);
    }

    private static String node(long id, String name, String type, String script, String parameters, String group, Long upstream) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"cron\":\"00 00 08 * * ?\",\"retries\":0"
                + (script == null ? "" : ",\"script\":\"" + script + "\"") + (parameters == null ? "" : ",\"parameters\":" + parameters)
                + (group == null ? "" : ",\"resourceGroup\":\"" + group + "\"") + (upstream == null ? "" : ",\"upstream\":[" + upstream + "]") + "}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(String keyOf, String action, Map<String, Object> body) throws Exception {
        Config config = new Config().setAccessKeyId(keys.getProperty(keyOf + "_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty(keyOf + "_ACCESS_KEY_SECRET")).setEndpoint("127.0.0.1:" + system.gateway).setProtocol("HTTP");
        Params params = new Params().setAction(action).setVersion("2024-05-18").setProtocol("HTTP").setMethod("POST").setAuthType("AK")
                .setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        return (Map<String, Object>) new Client(config).callApi(params, new OpenApiRequest().setBody(body), new RuntimeOptions().setAutoretry(false))
                .get("body");
    }
}
