package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.scheduler.instance.engine.Ticker;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.instance;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator actions on instances: each one's effect on the instances, its record for the
 * instance-change events (scheduler.instance-operations), its audit row, and the status changes
 * it causes (opCode 33 with the operator). Scripts do not run in this profile, so shell instances
 * stay where the test puts them.
 */
@QuarkusTest
class InstanceOperationsTest {

    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");
    static final Instant EIGHT = Instant.parse("2026-11-22T08:00:00Z");

    static KafkaCompanion kafka;
    static TopicReader operations;
    static TopicReader outcomes;
    static TopicReader changes;

    @Inject
    Pool pool;

    @Inject
    Ticker ticker;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;
    long upstream;
    long trigger;
    long downstream;

    /** upstream shell → HTTP trigger → downstream shell, due now: the upstream waits for a slot. */
    @BeforeEach
    void flowDueNow() {
        if (kafka == null) {
            kafka = new KafkaCompanion(bootstrap);
            operations = new TopicReader(bootstrap, "scheduler.instance-operations");
            outcomes = new TopicReader(bootstrap, "scheduler.trigger-outcomes");
            changes = new TopicReader(bootstrap, "scheduler.instance-changes");
        }
        CLOCK.set(START);
        workspace = uniqueId();
        upstream = uniqueId();
        trigger = uniqueId();
        downstream = uniqueId();
        deploy(workspace, "UTC", List.of(
                node(upstream, "SHELL", "00 00 08 * * ?", "IMMEDIATE"),
                node(trigger, "HTTP_TRIGGER", "00 00 08 * * ?", "IMMEDIATE", upstream),
                node(downstream, "SHELL", "00 00 08 * * ?", "IMMEDIATE", trigger)));
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        assertEquals("WaitResource", status(upstream));
    }

    @AfterAll
    static void close() {
        if (kafka != null) {
            operations.close();
            outcomes.close();
            changes.close();
            kafka.close();
        }
    }

    @Test
    void setSuccessReleasesTheDownstreamAndRecordsTheOperator() {
        long up = id(upstream);
        JsonNode answer = operate("set-success", "1201", Map.of("instanceIds", List.of(up)), 200);
        assertEquals("set-instance-success", answer.path("operation").asText());

        assertEquals("Success", status(upstream));
        assertEquals("WaitTrigger", status(trigger), "the trigger node now waits for its trigger");
        JsonNode record = awaitRecord(answer);
        assertEquals("set-instance-success", record.path("operation").asText());
        assertEquals(1002, record.path("tenantId").asLong());
        assertEquals(workspace, record.path("workspaceId").asLong());
        assertEquals("Prod", record.path("env").asText());
        assertEquals("1201", record.path("operator").asText());
        assertEquals(EIGHT.plusSeconds(30).toEpochMilli(), record.path("operationTime").asLong());
        assertEquals(List.of(up), ids(record.path("taskInstanceIds")));
        assertEquals(String.valueOf(workspace), recordKey(answer));

        JsonNode change = changes.await(String.valueOf(up), v -> v.path("status").asInt() == 6);
        assertEquals(33, change.path("opCode").asInt());
        assertEquals("1201", change.path("operator").asText());
        assertEquals(3, change.path("previousStatus").asInt());
        assertEquals(1L, count("select count(*) from instance_operation where id = $1 and operator = '1201' and operation = 'set-instance-success'",
                UUID.fromString(answer.path("operationIds").path(0).asText())));
    }

    @Test
    void freezeHoldsTheInstanceAndUnfreezeLetsItMoveOn() {
        operate("set-success", "1201", Map.of("instanceIds", List.of(id(upstream))), 200);
        long t = id(trigger);
        JsonNode frozen = operate("freeze", "1201", Map.of("instanceIds", List.of(t)), 200);
        assertTrue(instance(workspace, trigger, EIGHT).path("Frozen").asBoolean());
        assertEquals("freeze-instance", awaitRecord(frozen).path("operation").asText());

        UUID command = UUID.randomUUID();
        Scenario.send(kafka, command, trigger, EIGHT, null);
        assertEquals("InstanceFrozen", outcomes.await(command.toString(), v -> true).path("code").asText());

        JsonNode unfrozen = operate("unfreeze", "1201", Map.of("instanceIds", List.of(t)), 200);
        assertFalse(instance(workspace, trigger, EIGHT).path("Frozen").asBoolean());
        assertEquals(List.of(t), ids(awaitRecord(unfrozen).path("taskInstanceIds")));
        UUID second = UUID.randomUUID();
        Scenario.send(kafka, second, trigger, EIGHT, null);
        assertEquals("TRIGGERED", outcomes.await(second.toString(), v -> true).path("outcome").asText());
    }

    @Test
    void killFailsAWaitingInstanceAndKeepsItsDownstreamWaiting() {
        long up = id(upstream);
        JsonNode killed = operate("kill", "1201", Map.of("instanceIds", List.of(up)), 200);
        assertEquals("Failure", status(upstream));
        assertEquals("NotRun", status(trigger));
        assertEquals("kill-instance", awaitRecord(killed).path("operation").asText());
        operate("kill", "1201", Map.of("instanceIds", List.of(up)), 409).path("message").asText();
    }

    @Test
    void rerunWithDescendantsNeedsANewTriggerForTheTriggerNode() {
        operate("set-success", "1201", Map.of("instanceIds", List.of(id(upstream))), 200);
        UUID first = UUID.randomUUID();
        Scenario.send(kafka, first, trigger, EIGHT, null);
        assertEquals("TRIGGERED", outcomes.await(first.toString(), v -> true).path("outcome").asText());
        long t = id(trigger), d = id(downstream);
        assertEquals("WaitResource", status(downstream));
        operate("set-success", "1201", Map.of("instanceIds", List.of(d)), 200);

        JsonNode rerun = operate("rerun", "1202", Map.of("instanceIds", List.of(t), "descendants", true), 200);
        JsonNode record = awaitRecord(rerun);
        assertEquals("rerun-instance", record.path("operation").asText());
        assertEquals(List.of(t, d), ids(record.path("taskInstanceIds")));
        assertTrue(record.path("descendants").asBoolean());
        assertEquals("WaitTrigger", status(trigger), "upstream and time are done: it waits for a new trigger");
        assertEquals("NotRun", status(downstream));
        assertEquals(null, instance(workspace, trigger, EIGHT).get("TriggeredTime"));

        UUID second = UUID.randomUUID();
        Scenario.send(kafka, second, trigger, EIGHT, null);
        assertEquals("TRIGGERED", outcomes.await(second.toString(), v -> true).path("outcome").asText());
        assertEquals("WaitResource", status(downstream));
    }

    @Test
    void rerunHonoursTheNodesRerunModeAndRefusesUnfinishedInstances() {
        long ws = uniqueId(), denied = uniqueId(), failureOnly = uniqueId();
        CLOCK.set(START);
        Map<String, Object> never = new HashMap<>(node(denied, "SHELL", "00 00 08 * * ?", "IMMEDIATE"));
        never.put("rerunMode", "ALL_DENIED");
        Map<String, Object> afterFailure = new HashMap<>(node(failureOnly, "SHELL", "00 00 08 * * ?", "IMMEDIATE"));
        afterFailure.put("rerunMode", "FAILURE_ALLOWED");
        deploy(ws, "UTC", List.of(never, afterFailure));
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        long a = instance(ws, denied, EIGHT).path("Id").asLong(), b = instance(ws, failureOnly, EIGHT).path("Id").asLong();

        assertTrue(operate("rerun", "1202", Map.of("instanceIds", List.of(a)), 409).path("message").asText().contains("only a finished instance"));
        operate("set-success", "1202", Map.of("instanceIds", List.of(a, b)), 200);
        assertTrue(operate("rerun", "1202", Map.of("instanceIds", List.of(a)), 409).path("message").asText().contains("ALL_DENIED"));
        assertTrue(operate("rerun", "1202", Map.of("instanceIds", List.of(b)), 409).path("message").asText().contains("FAILURE_ALLOWED"));
        assertEquals("Success", instance(ws, failureOnly, EIGHT).path("Status").asText(), "a refused rerun changes nothing");
    }

    @Test
    void deleteDependenciesLetsTheInstanceStartWithoutThem() {
        long t = id(trigger), d = id(downstream), up = id(upstream);
        JsonNode wrong = operate("delete-dependencies", "1201", Map.of("instanceIds", List.of(d), "upstreamInstanceIds", List.of(up)), 400);
        assertEquals("upstreamInstanceIds", wrong.path("field").asText());

        JsonNode deleted = operate("delete-dependencies", "1201", Map.of("instanceIds", List.of(d), "upstreamInstanceIds", List.of(t)), 200);
        assertEquals("WaitResource", status(downstream), "nothing left to wait for: it waits for a slot");
        JsonNode record = awaitRecord(deleted);
        assertEquals("delete-task-instance-dependencies", record.path("operation").asText());
        assertEquals(List.of(d), ids(record.path("taskInstanceIds")));
        assertEquals(List.of(t), ids(record.path("upstreamTaskInstanceIds")));
        assertEquals(0L, count("select count(*) from task_instance_dependency where instance_id = $1", d));
    }

    @Test
    void aRefusedRequestChangesNothing() {
        long up = id(upstream), t = id(trigger);
        long missing = 9_999_999_999L;
        operate("set-success", "1201", Map.of("instanceIds", List.of(up, missing)), 404);
        assertEquals("WaitResource", status(upstream), "all or nothing");
        operate("freeze", "1201", Map.of("instanceIds", List.of(up)), 200);
        // The trigger node has not started, the upstream is frozen; setting both is fine, killing a finished one is not.
        operate("set-success", "1201", Map.of("instanceIds", List.of(up, t)), 200);
        assertEquals(409, operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of(up, t))).post("/api/v1/instance-operations/freeze")
                .then().extract().statusCode());

        operator().body(Map.of("instanceIds", List.of(up))).post("/api/v1/instance-operations/kill")
                .then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("X-Operator"));
        operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of(up))).post("/api/v1/instance-operations/explode")
                .then().statusCode(400).body("message", containsString("unknown operation"));
        operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of())).post("/api/v1/instance-operations/kill")
                .then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("instanceIds"));
        operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of(up), "descendants", true)).post("/api/v1/instance-operations/kill")
                .then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("descendants"));
    }

    private JsonNode operate(String op, String who, Map<String, Object> body, int expected) {
        String json = operator().header("X-Operator", who).body(body).post("/api/v1/instance-operations/" + op)
                .then().statusCode(expected).extract().asString();
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode awaitRecord(JsonNode answer) {
        String operationId = answer.path("operationIds").path(0).asText();
        return operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(operationId));
    }

    private String recordKey(JsonNode answer) {
        String operationId = answer.path("operationIds").path(0).asText();
        return operations.poll().stream().filter(r -> r.value() != null && r.value().contains(operationId)).findFirst().orElseThrow().key();
    }

    private String status(long node) {
        return instance(workspace, node, EIGHT).path("Status").asText();
    }

    private long id(long node) {
        return instance(workspace, node, EIGHT).path("Id").asLong();
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }
}
