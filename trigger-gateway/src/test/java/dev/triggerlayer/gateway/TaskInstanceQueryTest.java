package dev.triggerlayer.gateway;

import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import dev.triggerlayer.gateway.directory.Directory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.triggerlayer.gateway.GatewayHarness.errorCode;
import static dev.triggerlayer.gateway.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GetTaskInstance and ListTaskInstances through the official SDK against the scheduler stand-in:
 * the official names and values, the translation of every official filter, the refusal of any
 * other parameter, and reads limited to what the caller may trigger. (The end-to-end suite maps
 * the real scheduler's answers through the official models.)
 */
@QuarkusTest
class TaskInstanceQueryTest {

    @Inject
    Directory directory;

    @BeforeEach
    void world() {
        CLOCK.set(Instant.now());
        GatewayHarness.ready(directory);
    }

    @Test
    void getTaskInstanceAnswersWithTheOfficialShape() throws Exception {
        Map<?, ?> trigger = (Map<?, ?>) call(World.B_DEV_KEY, "GetTaskInstance", Map.of("Id", 555)).get("TaskInstance");
        assertEquals("SCHEDULER_TRIGGER", trigger.get("TaskType"));
        assertEquals("WaitTime", trigger.get("Status"), "WaitTrigger is an official WaitTime");
        assertEquals("WaitTrigger", ((Map<?, ?>) trigger.get("TriggerLayer")).get("Status"));
        assertEquals(1796025600000L, ((Number) trigger.get("Bizdate")).longValue());
        assertEquals(1, ((Number) trigger.get("RunNumber")).intValue(), "the first run, before it happened");
        assertEquals("Normal", trigger.get("TriggerRecurrence"));
        assertEquals("AllAllowed", trigger.get("RerunMode"));
        assertEquals(Map.of("ResourceGroupId", "default"), trigger.get("RuntimeResource"));
        assertEquals(1796112000000L, ((Number) trigger.get("WaitingTriggerTime")).longValue());

        Map<?, ?> shell = (Map<?, ?>) call(World.B_DEV_KEY, "GetTaskInstance", Map.of("Id", 557)).get("TaskInstance");
        assertEquals("DIDE_SHELL", shell.get("TaskType"));
        assertEquals("Failure", shell.get("Status"));
        assertEquals("Pause", shell.get("TriggerRecurrence"));
        assertEquals("FailureAllowed", shell.get("RerunMode"));
        assertEquals(Map.of("Content", "echo $GREETING", "Parameters", "GREETING=hello"), shell.get("Script"));
        assertEquals(Map.of("Gateway", "replica-1", "ProcessId", "557_1"), shell.get("Runtime"));
    }

    @Test
    void readsFollowTheGrantsNodeList() throws Exception {
        // A's root holds B's grant for NODE_B only: it reads that node's instance, without scripts, and not NODE_B_UNGRANTED's.
        Map<?, ?> granted = (Map<?, ?>) call(World.A_KEY, "GetTaskInstance", Map.of("Id", 555)).get("TaskInstance");
        assertEquals(555L, ((Number) granted.get("Id")).longValue());
        assertEquals("Forbidden.NoPermission", errorCode(() -> call(World.A_KEY, "GetTaskInstance", Map.of("Id", 557))));
        assertEquals("Forbidden.NoPermission", errorCode(() -> call(World.C_KEY, "GetTaskInstance", Map.of("Id", 555))));

        call(World.A_KEY, "ListTaskInstances", Map.of("ProjectId", World.WS_B));
        assertEquals(String.valueOf(World.NODE_B), forwarded().get("TaskIds"), "a grant lists only its nodes");
        SchedulerQueryStandIn.lastListQuery = null;
        Map<?, ?> none = (Map<?, ?>) call(World.A_KEY, "ListTaskInstances", Map.of("ProjectId", World.WS_B,
                "TaskIds", "[" + World.NODE_B_UNGRANTED + "]")).get("PagingInfo");
        assertEquals(0L, ((Number) none.get("TotalCount")).longValue());
        assertNull(SchedulerQueryStandIn.lastListQuery, "nothing to ask the scheduler");
        assertEquals("Forbidden.NoPermission", errorCode(() -> call(World.C_KEY, "ListTaskInstances", Map.of("ProjectId", World.WS_B))));

        // Within its own tenant a member reads the whole workspace, scripts included (ScriptParameters in lists).
        Map<?, ?> page = (Map<?, ?>) call(World.B_DEV_KEY, "ListTaskInstances", Map.of("ProjectId", World.WS_B)).get("PagingInfo");
        assertFalse(forwarded().containsKey("TaskIds"));
        List<?> items = (List<?>) page.get("TaskInstances");
        assertEquals("GREETING=hello", ((Map<?, ?>) items.get(1)).get("ScriptParameters"));
        assertFalse(((Map<?, ?>) items.get(1)).containsKey("Script"), "Script is GetTaskInstance's");
    }

    @Test
    void everyOfficialFilterIsForwardedAndDefaultsAreOfficial() throws Exception {
        call(World.B_DEV_KEY, "ListTaskInstances", Map.of("ProjectId", World.WS_B));
        assertEquals(Map.of("ProjectId", String.valueOf(World.WS_B), "PageNumber", "1", "PageSize", "10", "SortBy", "Id Desc"), forwarded());

        Map<String, Object> all = new HashMap<>(Map.of("ProjectId", World.WS_B, "Bizdate", 1796025600000L, "Id", 555, "Ids", "[555,557]",
                "TaskId", World.NODE_B, "TaskIds", "[" + World.NODE_B + "]", "TaskName", "trig", "TaskType", "SCHEDULER_TRIGGER",
                "Owner", "owner-b", "WorkflowId", 7));
        all.putAll(Map.of("WorkflowInstanceId", 70, "UnifiedWorkflowInstanceId", 70, "WorkflowInstanceType", "SupplementData",
                "TriggerType", "Scheduler", "TriggerRecurrence", "Skip", "RuntimeResource", "default", "Status", "WaitTime",
                "ProjectEnv", "Prod", "SortBy", "StartedTime Asc", "PageNumber", 2));
        all.put("PageSize", 50);
        all.put("Filter", "{\"startedTimeStart\":\"1796112000000\",\"finishedTimeEnd\":1796198400000,\"createTimeStart\":1}");
        call(World.B_DEV_KEY, "ListTaskInstances", all);
        Map<String, String> q = forwarded();
        assertEquals("1796025600000", q.get("BizDate"));
        assertEquals("555", q.get("Id"));
        assertEquals("555,557", q.get("Ids"));
        assertEquals(String.valueOf(World.NODE_B), q.get("TaskIds"));
        assertEquals("trig", q.get("TaskName"));
        assertEquals("HTTP_TRIGGER", q.get("TaskType"));
        assertEquals("owner-b", q.get("Owner"));
        assertEquals("7", q.get("WorkflowId"));
        assertEquals("70", q.get("WorkflowInstanceId"));
        assertEquals("3", q.get("DagType"));
        assertEquals("SKIP,SKIP_UNCHOOSE,SKIP_CYCLE,CONDITION_UNCHOOSE", q.get("SchedulerType"));
        assertEquals("default", q.get("ResourceGroup"));
        assertEquals("2", q.get("StatusCode"), "WaitTime covers instances waiting for their trigger");
        assertEquals("StartedTime Asc", q.get("SortBy"));
        assertEquals("1796112000000", q.get("StartedAfter"));
        assertEquals("1796198400000", q.get("FinishedBefore"));
        assertEquals("1", q.get("CreatedAfter"));
        assertEquals("2", q.get("PageNumber"));
        assertEquals("50", q.get("PageSize"));
    }

    @Test
    void filtersNoInstanceCanMatchGiveAnEmptyPageWithoutAsking() throws Exception {
        for (Map<String, Object> f : List.<Map<String, Object>>of(Map.of("TaskType", "ODPS_SQL"), Map.of("Ids", "[]"),
                Map.of("TriggerType", "Manual", "TriggerRecurrence", "Pause"), Map.of("WorkflowInstanceId", 1, "UnifiedWorkflowInstanceId", 2))) {
            SchedulerQueryStandIn.lastListQuery = null;
            Map<String, Object> params = new HashMap<>(f);
            params.put("ProjectId", World.WS_B);
            Map<?, ?> page = (Map<?, ?>) call(World.B_DEV_KEY, "ListTaskInstances", params).get("PagingInfo");
            assertEquals(0L, ((Number) page.get("TotalCount")).longValue(), f.toString());
            assertEquals(List.of(), page.get("TaskInstances"));
            assertNull(SchedulerQueryStandIn.lastListQuery, f.toString());
        }
    }

    @Test
    void unknownParametersAndOutOfRangeValuesAreInvalidParameterNamingThem() throws Exception {
        Map<String, Map<String, Object>> refused = new TreeMap<>();
        refused.put("BizDate", Map.of("BizDate", "2026-11-21"));
        refused.put("TriggerTime", Map.of("TriggerTime", 1));
        refused.put("PageSize", Map.of("PageSize", "2147483648"));
        refused.put("PageSize ", Map.of("PageSize", "4294967295"));
        refused.put("PageSize  ", Map.of("PageSize", 0));
        refused.put("PageNumber", Map.of("PageNumber", 0));
        refused.put("Bizdate", Map.of("Bizdate", "9223372036854775807"));
        refused.put("Ids", Map.of("Ids", "1,2"));
        refused.put("TaskIds", Map.of("TaskIds", "[1,\"x\"]"));
        refused.put("SortBy", Map.of("SortBy", "Priority Desc"));
        refused.put("Status", Map.of("Status", "WaitTrigger"));
        refused.put("Filter", Map.of("Filter", "{\"startedAfter\":1}"));
        refused.put("Filter ", Map.of("Filter", "[1]"));
        refused.put("TaskType", Map.of("TaskType", "shell"));
        refused.put("TriggerRecurrence", Map.of("TriggerRecurrence", "Daily"));
        refused.put("WorkflowInstanceType", Map.of("WorkflowInstanceType", "Other"));
        refused.put("ProjectEnv", Map.of("ProjectEnv", "Staging"));
        refused.put("Owner", Map.of("Owner", "refused"));
        for (var e : refused.entrySet()) {
            Map<String, Object> params = new HashMap<>(e.getValue());
            params.put("ProjectId", World.WS_B);
            assertEquals("InvalidParameter", errorCode(() -> call(World.B_DEV_KEY, "ListTaskInstances", params)), e.getKey());
        }
        assertEquals("InvalidParameter", errorCode(() -> call(World.B_DEV_KEY, "GetTaskInstance", Map.of("Id", 555, "ProjectId", 1))));
        assertEquals("InvalidTaskInstance.NotFound", errorCode(() -> call(World.B_DEV_KEY, "GetTaskInstance", Map.of("Id", 404))));
        assertEquals("MissingParameter", errorCode(() -> call(World.B_DEV_KEY, "GetTaskInstance", Map.of())));
        assertEquals("MissingParameter", errorCode(() -> call(World.B_DEV_KEY, "ListTaskInstances", Map.of())));
    }

    private static Map<String, String> forwarded() {
        Map<String, String> out = new TreeMap<>();
        for (String pair : SchedulerQueryStandIn.lastListQuery.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(World.Key key, String action, Map<String, Object> query) throws Exception {
        Params params = new Params().setAction(action).setVersion("2024-05-18").setProtocol("HTTP").setMethod("POST")
                .setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        return (Map<String, Object>) GatewayHarness.client(key, false)
                .callApi(params, new OpenApiRequest().setBody(query), new RuntimeOptions()).get("body");
    }
}
