package dev.triggerlayer.e2e;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The cross-tenant scenario of reference 000, end to end: tenant B's workflow is
 * {@code shell (upstream) → HTTP trigger node → shell (echo "DataWorks")}; tenant A's shell nodes
 * send the trigger to B's endpoint with the command-line trigger, once with B's AccessKey (as the
 * product does it) and once with A's own key under B's grant (as only we do it), and the test
 * itself sends one with the official SDK. Every trigger arrives before B's upstream finished, so
 * it is retained and fires when the upstream ends (the test holds each upstream on a FIFO).
 */
class CrossTenantIT {

    static final long TENANT_A = 1001, TENANT_B = 1002, WORKSPACE_A = 2001, WORKSPACE_B = 2002;
    static final long B_FLOW = 5100, B_UPSTREAM = 5101, B_TRIGGER = 5102, B_DOWNSTREAM = 5103;
    static final long A_FLOW_B_KEY = 5200, A_SEND_B_KEY = 5201, A_FLOW_OWN_KEY = 5300, A_SEND_OWN_KEY = 5301;
    static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

    static TriggerLayer system;
    static Properties keys;

    @BeforeAll
    static void start() throws Exception {
        system = TriggerLayer.shared();
        keys = system.credentials();
    }

    @Test
    void tenantATriggersTenantBsWorkflowAndEachTenantSeesOnlyItsOwnEvents() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate d1 = today.minusDays(3), d2 = today.minusDays(2), d3 = today.minusDays(1);
        Path gates = Files.createDirectories(system.scriptFiles.resolve("gates-" + UUID.randomUUID()));
        Path runs = system.scriptFiles.resolve("downstream-runs-" + UUID.randomUUID() + ".txt");
        for (LocalDate d : List.of(d1, d2, d3)) {
            assertEquals(0, new ProcessBuilder("mkfifo", gates.resolve(d.minusDays(1).format(BASIC)).toString()).start().waitFor());
        }

        // Tenant B: upstream (held on its day's FIFO) → HTTP trigger node → downstream echo "DataWorks".
        deploy(B_FLOW, TENANT_B, WORKSPACE_B, "e2e_b", "[" + shell(B_UPSTREAM, "b_upstream",
                "cat \\\"$GATES/$TRIGGERLAYER_BIZ_DATE\\\" > /dev/null; echo upstream-done", "{\"GATES\":\"" + gates + "\"}", null)
                + ",{\"id\":" + B_TRIGGER + ",\"name\":\"b_trigger\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\",\"upstream\":[" + B_UPSTREAM + "]},"
                + shell(B_DOWNSTREAM, "b_downstream", "echo \\\"DataWorks\\\"; echo \\\"$TRIGGERLAYER_INSTANCE_ID\\\" >> \\\"$RUNS\\\"",
                "{\"RUNS\":\"" + runs + "\"}", B_TRIGGER) + "]");
        for (LocalDate d : List.of(d1, d2, d3)) {
            system.call("POST", system.scheduler, "/api/v1/workflows/" + B_FLOW + "/generate?date=" + d, "");
        }
        for (LocalDate d : List.of(d1, d2, d3)) {
            awaitStatus(WORKSPACE_B, B_UPSTREAM, d, "Running");
            assertEquals("NotRun", instance(WORKSPACE_B, B_TRIGGER, d).path("Status").asText());
        }

        // Tenant A's shell node triggers with B's AccessKey (the product's way): retained, B's upstream still runs.
        deploy(A_FLOW_B_KEY, TENANT_A, WORKSPACE_A, "e2e_a_with_b_key", "[" + sender(A_SEND_B_KEY, "TENANT_B") + "]");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + A_FLOW_B_KEY + "/generate?date=" + d1, "");
        awaitStatus(WORKSPACE_A, A_SEND_B_KEY, d1, "Success");
        assertTrue(log(WORKSPACE_A, A_SEND_B_KEY, d1).contains("TriggerOutcome=Retained"), log(WORKSPACE_A, A_SEND_B_KEY, d1));
        assertTrue(instance(WORKSPACE_B, B_TRIGGER, d1).has("TriggerRetainedTime"));
        release(gates, d1);
        awaitStatus(WORKSPACE_B, B_DOWNSTREAM, d1, "Success");
        assertEquals("Success", instance(WORKSPACE_B, B_TRIGGER, d1).path("Status").asText());
        assertTrue(log(WORKSPACE_B, B_DOWNSTREAM, d1).contains("DataWorks"));

        // With A's own AccessKey under B's grant (only here): the same.
        deploy(A_FLOW_OWN_KEY, TENANT_A, WORKSPACE_A, "e2e_a_with_own_key", "[" + sender(A_SEND_OWN_KEY, "TENANT_A") + "]");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + A_FLOW_OWN_KEY + "/generate?date=" + d2, "");
        awaitStatus(WORKSPACE_A, A_SEND_OWN_KEY, d2, "Success");
        assertTrue(log(WORKSPACE_A, A_SEND_OWN_KEY, d2).contains("TriggerOutcome=Retained"), log(WORKSPACE_A, A_SEND_OWN_KEY, d2));
        release(gates, d2);
        awaitStatus(WORKSPACE_B, B_DOWNSTREAM, d2, "Success");

        // The official SDK as the sender.
        Map<String, ?> sdk = trigger("TENANT_B", d3);
        assertEquals("Retained", String.valueOf(((Map<?, ?>) sdk.get("body")).get("TriggerOutcome")), String.valueOf(sdk));
        release(gates, d3);
        awaitStatus(WORKSPACE_B, B_DOWNSTREAM, d3, "Success");

        // A second trigger is refused; the downstream ran exactly once per instance.
        assertEquals("OperationDenied.AlreadyTriggered", refusal("TENANT_B", d1));
        assertEquals("OperationDenied.AlreadyTriggered", refusal("TENANT_A", d2));
        List<String> ran = Files.readAllLines(runs);
        assertEquals(3, ran.size(), "downstream runs: " + ran);
        assertEquals(3, new TreeSet<>(ran).size(), "a downstream instance ran twice: " + ran);
        for (LocalDate d : List.of(d1, d2, d3)) {
            assertEquals(1, instance(WORKSPACE_B, B_DOWNSTREAM, d).path("RunNumber").asInt());
        }

        // Without B's grant, A's key is refused.
        JsonNode grants = system.call("GET", system.registry, "/api/v1/grants?tenantId=" + TENANT_B, null);
        for (JsonNode g : grants) {
            system.call("DELETE", system.registry, "/api/v1/grants/" + g.path("id").asText(), null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> refusal("TENANT_A", d1).equals("Forbidden.CrossTenant"));

        assertEventsOnEachTenantsOwnBus(List.of(d1, d2, d3));
    }

    private void assertEventsOnEachTenantsOwnBus(List<LocalDate> days) throws Exception {
        Set<Long> bDags = new TreeSet<>(), aTasks = new TreeSet<>(), bDownstream = new TreeSet<>();
        for (LocalDate d : days) {
            bDags.add(instance(WORKSPACE_B, B_DOWNSTREAM, d).path("WorkflowInstanceId").asLong());
            bDownstream.add(instance(WORKSPACE_B, B_DOWNSTREAM, d).path("Id").asLong());
        }
        aTasks.add(instance(WORKSPACE_A, A_SEND_B_KEY, days.get(0)).path("Id").asLong());
        aTasks.add(instance(WORKSPACE_A, A_SEND_OWN_KEY, days.get(1)).path("Id").asLong());

        Map<String, List<JsonNode>> byTopic = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            byTopic.clear();
            byTopic.putAll(readTenantTopics());
            List<JsonNode> b = byTopic.getOrDefault("tenant.1002.bus.default", List.of());
            List<JsonNode> a = byTopic.getOrDefault("tenant.1001.bus.default", List.of());
            boolean bDone = bDags.stream().allMatch(dag -> b.stream().anyMatch(e -> isDag(e, dag, 6)))
                    && bDownstream.stream().allMatch(t -> b.stream().anyMatch(e -> isTask(e, t, 6)));
            boolean aDone = aTasks.stream().allMatch(t -> a.stream().anyMatch(e -> isTask(e, t, 6)));
            return bDone && aDone;
        });

        for (Map.Entry<String, List<JsonNode>> topic : byTopic.entrySet()) {
            long owner = topic.getKey().startsWith("tenant.1001.") ? TENANT_A : topic.getKey().startsWith("tenant.1002.") ? TENANT_B : -1;
            assertTrue(owner > 0, "a topic of an unknown tenant: " + topic.getKey());
            Map<String, List<Integer>> statuses = new LinkedHashMap<>();
            for (JsonNode event : topic.getValue()) {
                assertEquals(owner, event.path("data").path("tenantId").asLong(), topic.getKey() + " carries " + event);
                List<String> problems = EventSchemas.problems(event);
                assertTrue(problems.isEmpty(), event + ": " + problems);
                String type = event.path("type").asText();
                if (type.equals("dataworks:DagStatusChanges:DagStatusChanges") || type.equals("dataworks:InstanceStatusChanges:InstanceStatusChanges")) {
                    // The status changes; the bus also carries the deploys' node change events.
                    String key = type.contains("Dag") ? "dag/" + event.path("data").path("dagId").asText()
                            : "task/" + event.path("data").path("taskId").asText();
                    statuses.computeIfAbsent(key, k -> new ArrayList<>()).add(event.path("data").path("status").asInt());
                }
                if (owner == TENANT_B) {
                    assertTrue(!aTasks.contains(event.path("data").path("taskId").asLong()), "A's instance on B's topic: " + event);
                }
            }
            // In this scenario every instance and DAG only moves forward: its events arrive in that order.
            statuses.forEach((key, seen) -> {
                for (int i = 1; i < seen.size(); i++) {
                    if (seen.get(i) <= seen.get(i - 1)) {
                        fail(topic.getKey() + " " + key + " out of order: " + seen);
                    }
                }
            });
        }
        // B's HTTP trigger node: waiting for its trigger (2), then succeeded (6); its shells 3 → 4 → 6.
        List<JsonNode> b = byTopic.get("tenant.1002.bus.default");
        long trigger = instance(WORKSPACE_B, B_TRIGGER, days.get(0)).path("Id").asLong();
        assertEquals(List.of(2, 6), b.stream().filter(e -> e.path("data").path("taskId").asLong() == trigger)
                .map(e -> e.path("data").path("status").asInt()).toList());
        long downstream = bDownstream.iterator().next();
        assertEquals(List.of(3, 4, 6), b.stream().filter(e -> e.path("data").path("taskId").asLong() == downstream)
                .map(e -> e.path("data").path("status").asInt()).toList());
    }

    private Map<String, List<JsonNode>> readTenantTopics() throws Exception {
        List<String> topics;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", system.kafka))) {
            topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith("tenant.")).sorted().toList();
        }
        return Topics.readAll(system.kafka, topics, Duration.ofSeconds(20));
    }

    private static boolean isDag(JsonNode e, long dag, int status) {
        return e.path("type").asText().equals("dataworks:DagStatusChanges:DagStatusChanges")
                && e.path("data").path("dagId").asLong() == dag && e.path("data").path("status").asInt() == status;
    }

    private static boolean isTask(JsonNode e, long task, int status) {
        return e.path("type").asText().equals("dataworks:InstanceStatusChanges:InstanceStatusChanges")
                && e.path("data").path("taskId").asLong() == task && e.path("data").path("status").asInt() == status;
    }

    /** A tenant A shell node that triggers B's HTTP trigger node for its own scheduled time with the command-line trigger. */
    private String sender(long id, String keyOf) {
        String script = "\\\"$JAVA\\\" -jar \\\"$CLI\\\" --endpoint \\\"$ENDPOINT\\\" --task-id " + B_TRIGGER + " --env Prod --time \\\"$TRIGGERLAYER_CYC_TIME\\\"";
        String parameters = "{\"JAVA\":\"" + Path.of(System.getProperty("java.home"), "bin", "java") + "\",\"CLI\":\""
                + system.scriptFiles.resolve("trigger-cli-all.jar") + "\",\"ENDPOINT\":\"" + system.endpoint() + "\","
                + "\"ALIBABA_CLOUD_ACCESS_KEY_ID\":\"" + keys.getProperty(keyOf + "_ACCESS_KEY_ID") + "\","
                + "\"ALIBABA_CLOUD_ACCESS_KEY_SECRET\":\"" + keys.getProperty(keyOf + "_ACCESS_KEY_SECRET") + "\"}";
        return shell(id, "a_send_" + id, script, parameters, null);
    }

    private static String shell(long id, String name, String script, String parameters, Long upstream) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"type\":\"SHELL\",\"cron\":\"00 00 08 * * ?\",\"script\":\"" + script + "\","
                + "\"parameters\":" + parameters + (upstream == null ? "" : ",\"upstream\":[" + upstream + "]") + "}";
    }

    private void deploy(long id, long tenant, long workspace, String name, String nodes) throws Exception {
        system.call("POST", system.scheduler, "/api/v1/workflows", "{\"id\":" + id + ",\"tenantId\":" + tenant + ",\"workspaceId\":" + workspace
                + ",\"env\":\"Prod\",\"name\":\"" + name + "\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":" + nodes + "}");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + id + "/deploy", "");
    }

    private JsonNode instance(long workspace, long node, LocalDate day) throws Exception {
        long cyc = day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        JsonNode page = system.call("GET", system.scheduler, "/api/v1/instances?ProjectId=" + workspace + "&TaskId=" + node + "&TriggerTime=" + cyc, null);
        return page.path("PagingInfo").path("TaskInstances").path(0);
    }

    private String log(long workspace, long node, LocalDate day) throws Exception {
        return system.call("GET", system.scheduler, "/api/v1/instances/" + instance(workspace, node, day).path("Id").asLong() + "/log", null)
                .path("log").asText();
    }

    private void awaitStatus(long workspace, long node, LocalDate day, String status) {
        await().atMost(Duration.ofSeconds(90)).until(() -> instance(workspace, node, day).path("Status").asText().equals(status));
    }

    /** Opening and closing the day's FIFO lets B's upstream instance of that day finish. */
    private static void release(Path gates, LocalDate day) throws Exception {
        try (OutputStream open = Files.newOutputStream(gates.resolve(day.minusDays(1).format(BASIC)))) {
            open.flush();
        }
    }

    /** TriggerSchedulerTaskInstance through the official SDK with a demo tenant's AccessKey. */
    private Map<String, ?> trigger(String keyOf, LocalDate day) throws Exception {
        Config config = new Config().setAccessKeyId(keys.getProperty(keyOf + "_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty(keyOf + "_ACCESS_KEY_SECRET"))
                .setEndpoint("127.0.0.1:" + system.gateway).setProtocol("HTTP");
        Params params = new Params().setAction("TriggerSchedulerTaskInstance").setVersion("2024-05-18").setProtocol("HTTP")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        Map<String, Object> body = Map.of("TaskId", B_TRIGGER, "EnvType", "Prod",
                "TriggerTime", day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli());
        return new Client(config).callApi(params, new OpenApiRequest().setBody(body), new RuntimeOptions().setAutoretry(false));
    }

    /** The error code the gateway answers a trigger with (fails when it is accepted). */
    private String refusal(String keyOf, LocalDate day) throws Exception {
        try {
            trigger(keyOf, day);
        } catch (TeaException e) {
            return e.getCode();
        }
        throw new AssertionError("the trigger was accepted");
    }
}
