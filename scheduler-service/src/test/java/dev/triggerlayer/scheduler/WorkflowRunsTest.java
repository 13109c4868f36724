package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backfills (dagType 3) and manual workflow runs (dagType 5): their DAG instances, names and
 * operators, the order of their business dates (serial, parallel groups, all at once), dry-run
 * excluded nodes, HTTP trigger nodes that pass without a trigger (and refuse one), future dates,
 * client tokens, the backfill-data check, and the RunTriggerNode BizDate check. Scripts do not
 * run in this profile: a shell instance stays waiting for resources until the test sets it to
 * success, which is how a test holds a date back.
 */
@QuarkusTest
class WorkflowRunsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");
    static final Instant EIGHT = Instant.parse("2026-11-22T08:00:00Z");

    static KafkaCompanion kafka;
    static TopicReader operations;
    static TopicReader outcomes;
    static TopicReader dagChanges;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;
    long workflow;
    /** trigger (HTTP trigger, root) → shell, and → excluded (shell): all daily at 08:00 UTC. */
    long trigger;
    long shell;
    long excluded;

    @BeforeEach
    void workflow() {
        if (kafka == null) {
            kafka = new KafkaCompanion(bootstrap);
            operations = new TopicReader(bootstrap, "scheduler.instance-operations");
            outcomes = new TopicReader(bootstrap, "scheduler.trigger-outcomes");
            dagChanges = new TopicReader(bootstrap, "scheduler.dag-changes");
        }
        CLOCK.set(START);
        workspace = uniqueId();
        trigger = uniqueId();
        shell = uniqueId();
        excluded = uniqueId();
        workflow = deploy(workspace, "UTC", List.of(
                node(trigger, "HTTP_TRIGGER", "00 00 08 * * ?", "IMMEDIATE"),
                node(shell, "SHELL", "00 00 08 * * ?", "IMMEDIATE", trigger),
                node(excluded, "SHELL", "00 00 08 * * ?", "IMMEDIATE", trigger)));
    }

    @AfterAll
    static void close() {
        if (kafka != null) {
            operations.close();
            outcomes.close();
            dagChanges.close();
            kafka.close();
        }
    }

    @Test
    void aSerialBackfillRunsItsDatesOneAfterTheOtherInTheAskedOrder() {
        JsonNode run = backfill(Map.of("multipleTimePeriods", List.of(period("2026-11-01", "2026-11-02"), period("2026-11-05", "2026-11-05")),
                "order", "desc", "excludeNodeIds", List.of(excluded), "includeNodeIds", List.of(shell)), 201);
        assertEquals("Created", run.path("state").asText());
        assertEquals(3, run.path("dagType").asInt());
        assertEquals("P_catchup_20261122_010000", run.path("name").asText(), "P_<name>_<creation time in the workflow's zone>");
        List<String> dates = new ArrayList<>();
        run.path("dags").forEach(d -> dates.add(d.path("bizDate").asText()));
        assertEquals(List.of("2026-11-05", "2026-11-02", "2026-11-01"), dates, "one DAG per business date, descending");

        long first = dag(run, 0), second = dag(run, 1), third = dag(run, 2);
        Map<Long, Row> a = instances(first);
        assertEquals(3, a.size());
        assertEquals(6, a.get(trigger).getInteger("status"), "the HTTP trigger node passes without a trigger");
        assertEquals(6, a.get(excluded).getInteger("status"), "an excluded node runs dry");
        assertEquals("SKIP", a.get(excluded).getString("scheduler_type"));
        assertEquals(3, a.get(shell).getInteger("status"), "the included shell node waits for resources like a scheduled one");
        assertEquals(LocalDate.parse("2026-11-05"), a.get(shell).getLocalDate("biz_date"));
        assertEquals(Instant.parse("2026-11-06T08:00:00Z"), a.get(shell).getOffsetDateTime("cyc_time").toInstant());
        assertTrue(instances(second).values().stream().allMatch(r -> r.getInteger("status") == 1), "the next date waits for this one");
        assertTrue(instances(third).values().stream().allMatch(r -> r.getInteger("status") == 1));

        setSuccess(a.get(shell).getLong("id"));
        Map<Long, Row> b = instances(second);
        assertEquals(6, b.get(trigger).getInteger("status"), "the second date starts once the first succeeded");
        assertEquals(3, b.get(shell).getInteger("status"));
        assertTrue(instances(third).values().stream().allMatch(r -> r.getInteger("status") == 1));

        JsonNode done = dagChanges.await(String.valueOf(first), v -> v.path("status").asInt() == 6);
        assertEquals(3, done.path("dagType").asInt());
        assertEquals("P_catchup_20261122_010000", done.path("dagName").asText());
        assertEquals("1201", done.path("operator").asText(), "a backfill DAG's operator is who asked for it");
        assertEquals("2026-11-05", done.path("bizDate").asText());
        assertEquals(4, dagChanges.await(String.valueOf(second), v -> v.path("status").asInt() == 4).path("status").asInt());
    }

    @Test
    void parallelGroupsRunThatManyDatesAtOnceAndOneGroupRunsThemAll() {
        JsonNode grouped = backfill(Map.of("multipleTimePeriods", List.of(period("2026-11-01", "2026-11-04")), "isParallel", true,
                "parallelGroup", 2, "includeNodeIds", List.of(shell)), 201);
        List<Integer> started = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            started.add(instances(dag(grouped, k)).get(trigger).getInteger("status"));
        }
        assertEquals(List.of(6, 6, 1, 1), started, "two series: the first two dates start, the next two wait for them");
        setSuccess(instances(dag(grouped, 0)).get(shell).getLong("id"));
        assertEquals(6, instances(dag(grouped, 2)).get(trigger).getInteger("status"), "the third date follows the first");
        assertEquals(1, instances(dag(grouped, 3)).get(trigger).getInteger("status"), "the fourth still waits for the second");

        JsonNode all = backfill(Map.of("name", "all", "multipleTimePeriods", List.of(period("2026-11-01", "2026-11-03")), "isParallel", true,
                "parallelGroup", 1), 201);
        for (int k = 0; k < 3; k++) {
            Map<Long, Row> dag = instances(dag(all, k));
            assertEquals(1, dag.size(), "only the root node: nothing included");
            assertEquals(6, dag.get(trigger).getInteger("status"), "every date at once");
        }
    }

    @Test
    void futureDatesWaitForTheirTimeUnlessAskedToStartAtOnce() {
        JsonNode waiting = backfill(Map.of("multipleTimePeriods", List.of(period("2026-11-25", "2026-11-25"))), 201);
        assertEquals(2, instances(dag(waiting, 0)).get(trigger).getInteger("status"), "waits for 2026-11-26 08:00");
        JsonNode now = backfill(Map.of("name", "now", "multipleTimePeriods", List.of(period("2026-11-25", "2026-11-25")),
                "startFutureInstanceImmediately", true), 201);
        assertEquals(6, instances(dag(now, 0)).get(trigger).getInteger("status"));
    }

    @Test
    void aTriggerGoesToTheScheduledInstanceAndIsRefusedForABackfillOne() {
        // 2026-11-21's scheduled instance (08:00 on the 22nd) exists: the trigger is for it, not the backfill's.
        long scheduled = idAt(trigger, EIGHT, 0);
        JsonNode run = backfill(Map.of("multipleTimePeriods", List.of(period("2026-11-21", "2026-11-21"), period("2026-11-10", "2026-11-10"))), 201);
        UUID forScheduled = UUID.randomUUID();
        Scenario.send(kafka, forScheduled, trigger, EIGHT, null);
        JsonNode outcome = outcomes.await(forScheduled.toString(), v -> true);
        assertEquals("RETAINED", outcome.path("outcome").asText(), outcome.toString());
        assertEquals(scheduled, outcome.path("taskInstanceId").asLong());

        // 2026-11-10 has only the backfill's instance.
        UUID forBackfill = UUID.randomUUID();
        Scenario.send(kafka, forBackfill, trigger, Instant.parse("2026-11-11T08:00:00Z"), null);
        JsonNode refused = outcomes.await(forBackfill.toString(), v -> true);
        assertEquals("InstanceNotTriggerable", refused.path("code").asText());
        assertTrue(refused.path("message").asText().contains("backfill"), refused.toString());
        assertEquals("2026-11-10", run.path("dags").path(0).path("bizDate").asText(), "ascending by default");
        assertEquals(instances(dag(run, 0)).get(trigger).getLong("id"), refused.path("taskInstanceId").asLong());
    }

    @Test
    void aClientTokenRetryReturnsTheSameBackfillAndAnotherRequestWithItIsRefused() {
        Map<String, Object> body = Map.of("clientToken", "tok-" + workspace, "multipleTimePeriods", List.of(period("2026-11-01", "2026-11-02")));
        JsonNode first = backfill(body, 201);
        JsonNode again = backfill(body, 201);
        assertEquals(first.path("id").asLong(), again.path("id").asLong());
        assertEquals(2, count("select count(*) from dag_instance where run_id = $1", first.path("id").asLong()));
        JsonNode other = backfill(Map.of("clientToken", "tok-" + workspace, "multipleTimePeriods", List.of(period("2026-11-03", "2026-11-03"))), 409);
        assertEquals("IdempotentParameterMismatch", other.path("field").asText());
    }

    @Test
    void badBackfillsAreRefusedWithTheFieldAndCreateNothing() {
        long before = count("select count(*) from workflow_run where workflow_id = $1", workflow);
        assertTrue(backfill(Map.of("multipleTimePeriods", List.of(period("2026-11-05", "2026-11-01"))), 400).path("message").asText().contains("ends before"));
        assertEquals("InvalidParameter", backfill(Map.of("multipleTimePeriods", List.of(period("2026-13-01", "2026-11-01"))), 400).path("code").asText());
        assertTrue(backfill(Map.of("multipleTimePeriods", List.of(period("2025-01-01", "2026-11-01"))), 400).path("message").asText().contains("at most 366"));
        assertTrue(backfill(Map.of("includeNodeIds", List.of(uniqueId())), 400).path("message").asText().contains("not deployed nodes of workflow"));
        assertEquals("InvalidParameter", backfill(Map.of("parallelGroup", 11), 400).path("code").asText());
        assertEquals("InvalidParameter", backfill(Map.of("order", "sideways"), 400).path("code").asText());
        assertTrue(backfill(Map.of("rootNodeProjectId", workspace + 1), 400).path("message").asText().contains("is in workspace"));
        assertEquals("NotFound", backfill(Map.of("rootNodeId", uniqueId()), 404).path("code").asText());
        assertEquals(before, count("select count(*) from workflow_run where workflow_id = $1", workflow));
    }

    @Test
    void aBackfillWaitsForItsBackfillDataCheckAndIsCreatedWhenItPasses() {
        String code = operator().header("X-Operator", "1201").body(Map.of("name", "guard " + uniqueId(), "tenantId", 1002, "owner", "1201",
                        "eventCodes", List.of("backfill-data"), "testWorkspaceId", workspace)).post("/api/v1/extensions")
                .then().statusCode(200).extract().path("code");
        JsonNode held = backfill(Map.of("multipleTimePeriods", List.of(period("2026-11-01", "2026-11-02")), "excludeNodeIds", List.of(excluded),
                "isParallel", true, "parallelGroup", 2), 202);
        assertEquals("Checking", held.path("state").asText());
        long runId = held.path("backfill").path("id").asLong();
        assertEquals("Checking", get("/api/v1/backfills/" + runId).path("state").asText());
        assertEquals(0, get("/api/v1/backfills/" + runId).path("dags").size(), "nothing exists while it is checked");

        String check = held.path("checkIds").path(0).asText();
        JsonNode pre = operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(check));
        assertEquals("backfill-data", pre.path("operation").asText());
        assertEquals("1201", pre.path("operator").asText());
        assertEquals(held.path("pendingOperationId").asText(), pre.path("extensionBizId").asText());
        JsonNode details = pre.path("details");
        assertEquals("P_catchup_20261122_010000", details.path("name").asText());
        assertEquals(trigger, details.path("rootNodeId").asLong());
        assertEquals(workspace, details.path("rootNodeProjectId").asLong());
        assertEquals(excluded, details.path("excludeNodeIds").path(0).asLong());
        assertEquals("[{\"bizBeginTime\":\"2026-11-01\",\"bizEndTime\":\"2026-11-02\"}]", details.path("multipleTimePeriods").asText());
        assertTrue(details.path("isParallel").asBoolean());
        assertEquals(2, details.path("parallelGroup").asInt());
        assertEquals("asc", details.path("order").asText());

        operator().body(Map.of("extensionCode", code, "checkResult", "OK", "callerTenantId", 1002))
                .post("/api/v1/extension-checks/" + check + "/verdicts").then().statusCode(200);
        JsonNode created = get("/api/v1/backfills/" + runId);
        assertEquals("Created", created.path("state").asText());
        assertEquals(2, created.path("dags").size());
        assertEquals("SKIP", instances(dag(created, 0)).get(excluded).getString("scheduler_type"));

        JsonNode refusedHold = backfill(Map.of("name", "second", "multipleTimePeriods", List.of(period("2026-11-03", "2026-11-03"))), 202);
        String secondCheck = refusedHold.path("checkIds").path(0).asText();
        operator().body(Map.of("extensionCode", code, "checkResult", "FAIL", "callerTenantId", 1002, "tip", "not now"))
                .post("/api/v1/extension-checks/" + secondCheck + "/verdicts").then().statusCode(200);
        JsonNode refused = get("/api/v1/backfills/" + refusedHold.path("backfill").path("id").asLong());
        assertEquals("Refused", refused.path("state").asText());
        assertEquals(0, refused.path("dags").size());
    }

    @Test
    void aManualRunRunsTheWorkflowNowForABusinessDate() {
        CLOCK.set(EIGHT.minusSeconds(3600)); // before the nodes' 08:00: a manual run does not wait for it
        JsonNode run = operator().header("X-Operator", "1301").body(Map.of("workflowId", workflow, "bizDate", "2026-11-15"))
                .post("/api/v1/workflow-runs").then().statusCode(201).extract().as(JsonNode.class);
        assertEquals(5, run.path("dagType").asInt());
        assertEquals("M_wf" + workflow + "_20261122_070000", run.path("name").asText());
        Map<Long, Row> dag = instances(dag(run, 0));
        assertEquals(3, dag.size(), "one instance per deployed node");
        assertEquals(6, dag.get(trigger).getInteger("status"), "the trigger node passes");
        assertEquals(3, dag.get(shell).getInteger("status"), "started at once: waiting for resources, not for 08:00");
        assertEquals(5, dag.get(shell).getInteger("dag_type"));
        assertEquals(LocalDate.parse("2026-11-15"), dag.get(shell).getLocalDate("biz_date"));
        JsonNode change = dagChanges.await(String.valueOf(dag(run, 0)), v -> v.path("status").asInt() == 4);
        assertEquals(5, change.path("dagType").asInt());
        assertEquals("1301", change.path("operator").asText());

        JsonNode subset = operator().header("X-Operator", "1301").body(Map.of("workflowId", workflow, "bizDate", "2026-11-15", "nodeIds", List.of(trigger)))
                .post("/api/v1/workflow-runs").then().statusCode(201).extract().as(JsonNode.class);
        assertNotEquals(run.path("id").asLong(), subset.path("id").asLong());
        assertEquals(1, instances(dag(subset, 0)).size());
        operator().body(Map.of("workflowId", workflow, "bizDate", "15 Nov")).post("/api/v1/workflow-runs").then().statusCode(400)
                .body("message", containsString("yyyy-MM-dd"));
        operator().body(Map.of("workflowId", uniqueId(), "bizDate", "2026-11-15")).post("/api/v1/workflow-runs").then().statusCode(404);
    }

    @Test
    void aScheduledDagsOperatorIsTheWorkflowsOwner() {
        long dag = count("select dag_instance_id from task_instance where node_id = $1 and dag_type = 0 limit 1", trigger);
        assertEquals("tester", text("select operator from dag_instance where id = $1", dag));
    }

    @Test
    void runTriggerNodeChecksItsBizDate() throws Exception {
        // The 08:00 instance of 2026-11-22 has business date 2026-11-21.
        UUID wrong = UUID.randomUUID();
        sendRunTriggerNode(wrong, Instant.parse("2026-11-20T00:00:00Z").toEpochMilli());
        JsonNode refused = outcomes.await(wrong.toString(), v -> true);
        assertEquals("BizDateMismatch", refused.path("code").asText());
        assertTrue(refused.path("message").asText().contains("2026-11-21"), refused.toString());
        UUID right = UUID.randomUUID();
        sendRunTriggerNode(right, Instant.parse("2026-11-21T00:00:00Z").toEpochMilli());
        assertEquals("RETAINED", outcomes.await(right.toString(), v -> true).path("outcome").asText());
    }

    // --- helpers ---------------------------------------------------------------------------------

    private JsonNode backfill(Map<String, Object> overrides, int expected) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "catchup", "rootNodeId", trigger, "rootNodeProjectId", workspace,
                "multipleTimePeriods", List.of(period("2026-11-01", "2026-11-01"))));
        body.putAll(overrides);
        return operator().header("X-Operator", "1201").body(body).post("/api/v1/backfills").then().statusCode(expected)
                .extract().as(JsonNode.class);
    }

    private static Map<String, String> period(String begin, String end) {
        return Map.of("bizBeginTime", begin, "bizEndTime", end);
    }

    private static long dag(JsonNode run, int k) {
        return run.path("dags").path(k).path("dagId").asLong();
    }

    /** The DAG's task instances by node id. */
    private Map<Long, Row> instances(long dagId) {
        Map<Long, Row> out = new HashMap<>();
        pool.preparedQuery("select * from task_instance where dag_instance_id = $1").execute(Tuple.of(dagId))
                .await().atMost(Duration.ofSeconds(5)).forEach(r -> out.put(r.getLong("node_id"), r));
        return out;
    }

    private long idAt(long node, Instant cycTime, int dagType) {
        return pool.preparedQuery("select id from task_instance where node_id = $1 and cyc_time = $2 and dag_type = $3")
                .execute(Tuple.of(node, cycTime.atOffset(java.time.ZoneOffset.UTC), dagType))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("id");
    }

    private void setSuccess(long instanceId) {
        operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of(instanceId)))
                .post("/api/v1/instance-operations/set-success").then().statusCode(200);
    }

    private JsonNode get(String path) {
        return operator().get(path).then().statusCode(200).extract().as(JsonNode.class);
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private String text(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
    }

    private void sendRunTriggerNode(UUID commandId, long bizDate) throws Exception {
        Map<String, Object> command = new HashMap<>(Map.of("commandId", commandId.toString(), "issuedAt", Instant.now().toString(),
                "action", "RunTriggerNode", "taskId", trigger, "env", "Prod", "triggerTime", EIGHT.toEpochMilli(), "appId", workspace,
                "bizDate", bizDate, "principal", "1002/1202/LTAItest"));
        kafka.produceStrings().fromRecords(new ProducerRecord<>("scheduler.trigger-commands", "Prod/" + trigger + "/" + EIGHT.toEpochMilli(),
                JSON.writeValueAsString(command))).awaitCompletion();
    }
}
