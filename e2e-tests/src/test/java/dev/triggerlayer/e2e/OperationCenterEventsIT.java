package dev.triggerlayer.e2e;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Node change events, backfills (dagType 3) and manual workflow runs (dagType 5) end to end
 * (docs/backfills.md): operator calls on the scheduler, events on tenant B's HTTP subscriber,
 * each valid against contracts/events; and a trigger for a backfill-only instance refused with
 * its documented code through the official SDK.
 */
class OperationCenterEventsIT {

    static final long TENANT_B = 1002, WORKSPACE = 2002;
    static final long NODE_FLOW = 8400, NODE_A = 8401, NODE_B = 8402;
    static final long RUN_FLOW = 8500, ROOT = 8501, NEXT = 8502;

    static TriggerLayer system;
    static Properties keys;
    static Subscriber subscriber;
    static long subscription;

    @BeforeAll
    static void start() throws Exception {
        system = TriggerLayer.shared();
        keys = system.credentials();
        subscriber = new Subscriber();
        subscription = system.call("POST", system.publisher, "/api/v1/subscriptions", "{\"tenantId\":" + TENANT_B + ",\"name\":\"operation-center\","
                + "\"filter\":{\"types\":[\"dataworks:NodeChange:NodeChangeCreated\",\"dataworks:NodeChange:NodeChangeUpdated\","
                + "\"dataworks:NodeChange:NodeChangeDeleted\",\"dataworks:DagStatusChanges:DagStatusChanges\"]},"
                + "\"target\":{\"kind\":\"HTTP\",\"url\":\"" + subscriber.url() + "\",\"format\":\"CLOUDEVENT\"}}").path("id").asLong();
        workflow(RUN_FLOW, "catchup_flow", ROOT, NEXT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (subscription != 0) {
            system.call("DELETE", system.publisher, "/api/v1/subscriptions/" + subscription, null);
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }

    @Test
    void deployFreezeAndUndeployRaiseTheNodeChangeEvents() throws Exception {
        workflow(NODE_FLOW, "node_flow", NODE_A, NODE_B);
        JsonNode created = event("dataworks:NodeChange:NodeChangeCreated", e -> e.at("/data/nodeId").asLong() == NODE_A);
        assertEquals("node_flow_a", created.at("/data/nodeName").asText());
        assertEquals("HTTP_TRIGGER", created.at("/data/programType").asText());
        assertEquals("00 00 08 * * ?", created.at("/data/cronExpress").asText());
        assertEquals("NORMAL", created.at("/data/schedulerType").asText());
        assertEquals("e2e", created.at("/data/ownerId").asText());
        assertEquals("e2e", created.at("/data/operator").asText());
        assertEquals(WORKSPACE, created.at("/data/projectId").asLong());
        assertEquals(TENANT_B, created.at("/data/tenantId").asLong());
        assertTrue(created.at("/data/baselineId").isNull());
        event("dataworks:NodeChange:NodeChangeCreated", e -> e.at("/data/nodeId").asLong() == NODE_B);

        system.call("POST", system.scheduler, "/api/v1/nodes/" + NODE_A + "/freeze", "");
        assertEquals("node-change-updated", event("dataworks:NodeChange:NodeChangeUpdated",
                e -> e.at("/data/nodeId").asLong() == NODE_A && e.at("/data/schedulerType").asText().equals("PAUSE")).at("/data/eventCode").asText());
        system.call("PATCH", system.scheduler, "/api/v1/nodes/" + NODE_B, "{\"owner\":\"1299\"}");
        event("dataworks:NodeChange:NodeChangeUpdated", e -> e.at("/data/nodeId").asLong() == NODE_B && e.at("/data/ownerId").asText().equals("1299"));
        system.call("POST", system.scheduler, "/api/v1/workflows/" + NODE_FLOW + "/undeploy", "");
        for (long node : List.of(NODE_A, NODE_B)) {
            assertEquals("e2e", event("dataworks:NodeChange:NodeChangeDeleted", e -> e.at("/data/nodeId").asLong() == node).at("/data/operator").asText());
        }
        List<String> ofA = subscriber.deliveries().stream().map(Subscriber.Delivery::event)
                .filter(e -> e.path("type").asText().startsWith("dataworks:NodeChange:") && e.at("/data/nodeId").asLong() == NODE_A)
                .map(e -> e.at("/data/eventCode").asText()).toList();
        assertEquals(List.of("node-change-created", "node-change-updated", "node-change-deleted"), ofA, "in order, each once");
    }

    @Test
    void aBackfillsDagsRunAndTheirTriggerNodesRefuseTriggers() throws Exception {
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(12);
        JsonNode run = system.call("POST", system.scheduler, "/api/v1/backfills", "{\"name\":\"e2e\",\"rootNodeId\":" + ROOT
                + ",\"rootNodeProjectId\":" + WORKSPACE + ",\"includeNodeIds\":[" + NEXT + "],\"multipleTimePeriods\":[{\"bizBeginTime\":\""
                + first + "\",\"bizEndTime\":\"" + first.plusDays(1) + "\"}]}");
        assertEquals("Created", run.path("state").asText());
        String name = run.path("name").asText();
        assertTrue(name.matches("P_e2e_\\d{8}_\\d{6}"), name);
        for (JsonNode dag : run.path("dags")) {
            JsonNode done = event("dataworks:DagStatusChanges:DagStatusChanges",
                    e -> e.at("/data/dagId").asLong() == dag.path("dagId").asLong() && e.at("/data/status").asInt() == 6);
            assertEquals(3, done.at("/data/dagType").asInt());
            assertEquals(name, done.at("/data/dagName").asText());
            assertEquals("e2e", done.at("/data/operator").asText(), "who asked for the backfill");
            assertEquals(dag.path("bizDate").asText() + " 00:00:00", done.at("/data/bizDate").asText());
        }
        // Only the backfill has an instance of the root at that time: the official SDK gets the documented refusal.
        long cycTime = first.plusDays(1).atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        try {
            trigger(ROOT, cycTime);
            fail("a backfill instance was triggered");
        } catch (TeaException e) {
            assertEquals("OperationDenied.InstanceNotTriggerable", e.getCode());
        }
    }

    @Test
    void aManualRunIsItsOwnDagOfTypeFive() throws Exception {
        JsonNode run = system.call("POST", system.scheduler, "/api/v1/workflow-runs", "{\"workflowId\":" + RUN_FLOW + ",\"bizDate\":\""
                + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "\"}");
        assertEquals(5, run.path("dagType").asInt());
        long dag = run.path("dags").path(0).path("dagId").asLong();
        JsonNode done = event("dataworks:DagStatusChanges:DagStatusChanges", e -> e.at("/data/dagId").asLong() == dag && e.at("/data/status").asInt() == 6);
        assertEquals(5, done.at("/data/dagType").asInt());
        assertEquals("e2e", done.at("/data/operator").asText());
        assertEquals(run.path("name").asText(), done.at("/data/dagName").asText());
    }

    private static void workflow(long id, String name, long a, long b) throws Exception {
        system.call("POST", system.scheduler, "/api/v1/workflows", "{\"id\":" + id + ",\"tenantId\":" + TENANT_B + ",\"workspaceId\":" + WORKSPACE
                + ",\"env\":\"Prod\",\"name\":\"" + name + "\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                + "{\"id\":" + a + ",\"name\":\"" + name + "_a\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\"},"
                + "{\"id\":" + b + ",\"name\":\"" + name + "_b\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\",\"upstream\":[" + a + "]}]}");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + id + "/deploy", "");
    }

    /** The one delivered event of this type that matches; it must be valid against its schema. */
    private static JsonNode event(String type, Predicate<JsonNode> matching) {
        JsonNode found = await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<JsonNode> events = new ArrayList<>();
            for (Subscriber.Delivery d : subscriber.deliveries()) {
                if (d.event().path("type").asText().equals(type) && matching.test(d.event())) {
                    events.add(d.event());
                }
            }
            return events.isEmpty() ? null : events.get(0);
        }, java.util.Objects::nonNull);
        assertTrue(EventSchemas.problems(found).isEmpty(), EventSchemas.problems(found) + " in " + found);
        return found;
    }

    private static Map<String, ?> trigger(long node, long cycTime) throws Exception {
        Config config = new Config().setAccessKeyId(keys.getProperty("TENANT_B_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty("TENANT_B_ACCESS_KEY_SECRET"))
                .setEndpoint("127.0.0.1:" + system.gateway).setProtocol("HTTP");
        Params params = new Params().setAction("TriggerSchedulerTaskInstance").setVersion("2024-05-18").setProtocol("HTTP")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        return new Client(config).callApi(params, new OpenApiRequest().setBody(Map.of("TaskId", node, "EnvType", "Prod", "TriggerTime", cycTime)),
                new RuntimeOptions().setAutoretry(false));
    }
}
