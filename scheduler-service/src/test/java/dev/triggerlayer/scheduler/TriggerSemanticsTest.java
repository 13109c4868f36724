package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.Ticker;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.trigger.model.Received;
import dev.triggerlayer.scheduler.trigger.model.TriggerCommand;
import dev.triggerlayer.scheduler.trigger.model.TriggerOutcome;
import dev.triggerlayer.scheduler.trigger.service.TriggerService;
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
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.instance;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP trigger node's conditions (reference 001), exercised through the real trigger-command
 * and outcome topics, with the clock moved by the test.
 */
@QuarkusTest
class TriggerSemanticsTest {

    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");
    static final Instant EIGHT = Instant.parse("2026-11-22T08:00:00Z");
    static final String DAILY_AT_EIGHT = "00 00 08 * * ?";

    static KafkaCompanion kafka;
    static TopicReader outcomes;
    static TopicReader instanceChanges;
    static TopicReader dagChanges;

    @Inject
    Pool pool;

    @Inject
    InstanceEngine engine;

    @Inject
    Transactions transactions;

    @Inject
    Ticker ticker;

    @Inject
    TriggerService triggers;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;
    long upstream;
    long trigger;
    long downstream;

    @BeforeEach
    void upstreamTriggerDownstream() {
        if (kafka == null) {
            kafka = new KafkaCompanion(bootstrap);
            outcomes = new TopicReader(bootstrap, "scheduler.trigger-outcomes");
        }
        CLOCK.set(START);
        workspace = uniqueId();
        upstream = uniqueId();
        trigger = uniqueId();
        downstream = uniqueId();
        deploy(workspace, "UTC", List.of(
                node(upstream, "SHELL", DAILY_AT_EIGHT, "IMMEDIATE"),
                node(trigger, "HTTP_TRIGGER", DAILY_AT_EIGHT, "IMMEDIATE", upstream),
                node(downstream, "SHELL", DAILY_AT_EIGHT, "IMMEDIATE", trigger)));
    }

    @AfterAll
    static void close() {
        if (kafka != null) {
            outcomes.close();
            kafka.close();
        }
    }

    @Test
    void earlyTriggerIsRetainedAndFiresWhenTheUpstreamSucceeds() {
        UUID first = UUID.randomUUID();
        JsonNode outcome = trigger(first, trigger, EIGHT);
        assertEquals("RETAINED", outcome.path("outcome").asText());
        assertEquals("UpstreamNotFinished", outcome.path("code").asText());
        JsonNode waiting = instance(workspace, trigger, EIGHT);
        assertEquals("NotRun", waiting.path("Status").asText());
        assertEquals(START.plus(Duration.ofHours(24)).toEpochMilli(), waiting.path("TriggerExpireTime").asLong());

        CLOCK.set(EIGHT.plusSeconds(60));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        assertEquals("WaitResource", instance(workspace, upstream, EIGHT).path("Status").asText());
        succeed(instance(workspace, upstream, EIGHT).path("Id").asLong());

        JsonNode fired = instance(workspace, trigger, EIGHT);
        assertEquals("Success", fired.path("Status").asText());
        assertEquals(EIGHT.plusSeconds(60).toEpochMilli(), fired.path("TriggeredTime").asLong());
        assertEquals("WaitResource", instance(workspace, downstream, EIGHT).path("Status").asText(), "downstream is runnable");

        JsonNode again = trigger(UUID.randomUUID(), trigger, EIGHT);
        assertEquals("REFUSED", again.path("outcome").asText());
        assertEquals("AlreadyTriggered", again.path("code").asText());
    }

    @Test
    void aRedeliveredCommandHasNoSecondEffect() {
        CLOCK.set(EIGHT.plusSeconds(60));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        succeed(instance(workspace, upstream, EIGHT).path("Id").asLong());
        assertEquals("WaitTrigger", instance(workspace, trigger, EIGHT).path("Status").asText());

        UUID command = UUID.randomUUID();
        assertEquals("TRIGGERED", trigger(command, trigger, EIGHT).path("outcome").asText());
        long changesBefore = instanceChangesOf(instance(workspace, trigger, EIGHT).path("Id").asLong());
        long modified = instance(workspace, trigger, EIGHT).path("ModifyTime").asLong();

        CLOCK.advance(Duration.ofMinutes(5));
        Scenario.send(kafka, command, trigger, EIGHT, null);
        JsonNode replay = outcomes.await(command.toString(), v -> v.path("redelivered").asBoolean());
        assertEquals("TRIGGERED", replay.path("outcome").asText());
        assertEquals(changesBefore, instanceChangesOf(instance(workspace, trigger, EIGHT).path("Id").asLong()));
        assertEquals(modified, instance(workspace, trigger, EIGHT).path("ModifyTime").asLong());
    }

    @Test
    void aTriggerBeforeTheScheduledTimeWaitsForIt() {
        long ws = uniqueId();
        long root = uniqueId();
        deploy(ws, "UTC", List.of(node(root, "HTTP_TRIGGER", DAILY_AT_EIGHT, "IMMEDIATE")));
        assertEquals("WaitTime", instance(ws, root, EIGHT).path("Status").asText());

        JsonNode outcome = trigger(UUID.randomUUID(), root, EIGHT);
        assertEquals("RETAINED", outcome.path("outcome").asText());
        assertEquals("ScheduledTimeNotReached", outcome.path("code").asText());

        CLOCK.set(EIGHT);
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        assertEquals("Success", instance(ws, root, EIGHT).path("Status").asText());
    }

    @Test
    void refusals() {
        JsonNode missing = trigger(UUID.randomUUID(), trigger, EIGHT.plusSeconds(1));
        assertEquals("REFUSED", missing.path("outcome").asText());
        assertEquals("InstanceNotFound", missing.path("code").asText());

        JsonNode shell = trigger(UUID.randomUUID(), upstream, EIGHT);
        assertEquals("NotHttpTriggerNode", shell.path("code").asText());

        JsonNode wrongWorkspace = trigger(UUID.randomUUID(), trigger, EIGHT, workspace + 1);
        assertEquals("InstanceNotFound", wrongWorkspace.path("code").asText(), "RunTriggerNode checks AppId");
        assertEquals("RETAINED", trigger(UUID.randomUUID(), trigger, EIGHT, workspace).path("outcome").asText());

        operator().post("/api/v1/nodes/" + trigger + "/freeze").then().statusCode(200);
        JsonNode frozen = trigger(UUID.randomUUID(), trigger, EIGHT.plus(Duration.ofDays(1)));
        assertEquals("REFUSED", frozen.path("outcome").asText());
        assertEquals("InstanceFrozen", frozen.path("code").asText());
        operator().post("/api/v1/nodes/" + trigger + "/unfreeze").then().statusCode(200);
        assertEquals("RETAINED", trigger(UUID.randomUUID(), trigger, EIGHT.plus(Duration.ofDays(1))).path("outcome").asText());
    }

    @Test
    void aFullResourceGroupRetainsTheTriggerUntilASlotFrees() {
        String group = "tiny" + uniqueId();
        pool.preparedQuery("insert into resource_group values ($1, 1)").execute(Tuple.of(group)).await().atMost(Duration.ofSeconds(5));
        long ws = uniqueId();
        long busy = uniqueId();
        long root = uniqueId();
        var busyNode = new java.util.HashMap<>(node(busy, "SHELL", DAILY_AT_EIGHT, "IMMEDIATE"));
        busyNode.put("resourceGroup", group);
        var rootNode = new java.util.HashMap<>(node(root, "HTTP_TRIGGER", DAILY_AT_EIGHT, "IMMEDIATE"));
        rootNode.put("resourceGroup", group);
        deploy(ws, "UTC", List.of(busyNode, rootNode));
        CLOCK.set(EIGHT);
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        long busyId = instance(ws, busy, EIGHT).path("Id").asLong();
        // The run-time side (a later issue) moves instances to running; here the slot is taken by hand.
        pool.preparedQuery("update task_instance set status = 4 where id = $1").execute(Tuple.of(busyId)).await().atMost(Duration.ofSeconds(5));

        JsonNode outcome = trigger(UUID.randomUUID(), root, EIGHT);
        assertEquals("RETAINED", outcome.path("outcome").asText());
        assertEquals("ResourceGroupFull", outcome.path("code").asText());

        succeed(busyId);
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        assertEquals("Success", instance(ws, root, EIGHT).path("Status").asText());
    }

    @Test
    void aTriggerRetainedForMoreThan24HoursIsDropped() {
        UUID command = UUID.randomUUID();
        assertEquals("RETAINED", trigger(command, trigger, EIGHT).path("outcome").asText());
        CLOCK.advance(Duration.ofHours(24).plusMinutes(1));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        JsonNode dropped = instance(workspace, trigger, EIGHT);
        assertFalse(dropped.path("TriggerDroppedTime").isMissingNode(), dropped.toString());
        assertTrue(dropped.path("TriggerRetainedTime").isMissingNode(), dropped.toString());

        Scenario.send(kafka, command, trigger, EIGHT, null);
        JsonNode replay = outcomes.await(command.toString(), v -> v.path("redelivered").asBoolean());
        assertEquals("REFUSED", replay.path("outcome").asText());
        assertEquals("RetentionExpired", replay.path("code").asText());

        // The dropped trigger did not fire: once the upstream succeeds the instance waits for a new one.
        succeed(instance(workspace, upstream, EIGHT).path("Id").asLong());
        assertEquals("WaitTrigger", instance(workspace, trigger, EIGHT).path("Status").asText());
    }

    @Test
    void theDagStatusFollowsItsInstances() {
        long dag = instance(workspace, upstream, EIGHT).path("WorkflowInstanceId").asLong();
        assertEquals(1, dagStatus(dag));
        CLOCK.set(EIGHT);
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        assertEquals(4, dagStatus(dag));
        succeed(instance(workspace, upstream, EIGHT).path("Id").asLong());
        trigger(UUID.randomUUID(), trigger, EIGHT);
        assertEquals(4, dagStatus(dag));
        succeed(instance(workspace, downstream, EIGHT).path("Id").asLong());
        assertEquals(6, dagStatus(dag));

        // A failure fails the DAG.
        CLOCK.set(EIGHT.plus(Duration.ofDays(1)));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        JsonNode tomorrow = instance(workspace, upstream, EIGHT.plus(Duration.ofDays(1)));
        transactions.run(u -> engine.lock(u, tomorrow.path("Id").asLong())
                        .chain(i -> engine.finish(u, i, 5, InstanceChange.OP_OPERATOR, "test")))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(5, dagStatus(tomorrow.path("WorkflowInstanceId").asLong()));

        try (TopicReader dags = new TopicReader(bootstrap, "scheduler.dag-changes")) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> dags.values(String.valueOf(dag)).stream().map(v -> v.path("status").asInt()).toList().equals(List.of(4, 6)));
        }
    }

    /**
     * The consumer applies one poll's commands in one transaction whose writes are deferred to its
     * end. A trigger retained early in the batch must still fire when a later command of the same
     * batch succeeds its upstream, its record must say so, and a copy of it in the same poll must
     * be answered without a second effect.
     */
    @Test
    void oneBatchRetainsFiresAndAnswersACopyInOrder() {
        long ws = uniqueId();
        long first = uniqueId();
        long second = uniqueId();
        long last = uniqueId();
        deploy(ws, "UTC", List.of(
                node(first, "HTTP_TRIGGER", DAILY_AT_EIGHT, "IMMEDIATE"),
                node(second, "HTTP_TRIGGER", DAILY_AT_EIGHT, "IMMEDIATE", first),
                node(last, "SHELL", DAILY_AT_EIGHT, "IMMEDIATE", second)));
        CLOCK.set(EIGHT.plusSeconds(60));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        assertEquals("WaitTrigger", instance(ws, first, EIGHT).path("Status").asText());

        TriggerCommand early = command(second);
        TriggerCommand upstreamTrigger = command(first);
        List<TriggerOutcome> answered = transactions.run(u -> triggers.applyAll(u, Stream.of(early, upstreamTrigger, early).map(Received::untraced).toList()))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(List.of("RETAINED", "TRIGGERED", "TRIGGERED"), answered.stream().map(TriggerOutcome::outcome).toList());
        assertEquals("UpstreamNotFinished", answered.get(0).code());
        assertEquals(List.of(false, false, true), answered.stream().map(TriggerOutcome::redelivered).toList());
        assertEquals("Success", instance(ws, second, EIGHT).path("Status").asText());
        assertEquals("WaitResource", instance(ws, last, EIGHT).path("Status").asText());
        var recorded = pool.preparedQuery("select outcome, code from trigger_command where command_id = $1").execute(Tuple.of(early.commandId()))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals("TRIGGERED", recorded.getString("outcome"));
        assertEquals("Triggered", recorded.getString("code"));
        assertEquals(4, dagStatus(instance(ws, first, EIGHT).path("WorkflowInstanceId").asLong()));
    }

    private static TriggerCommand command(long taskId) {
        return new TriggerCommand(UUID.randomUUID(), CLOCK.instant(), "TriggerSchedulerTaskInstance", taskId, "Prod",
                EIGHT.toEpochMilli(), null, null, "1002/1202/LTAItest", null, null);
    }

    private JsonNode trigger(UUID command, long taskId, Instant time) {
        return trigger(command, taskId, time, null);
    }

    private JsonNode trigger(UUID command, long taskId, Instant time, Long appId) {
        Scenario.send(kafka, command, taskId, time, appId);
        return outcomes.await(command.toString(), v -> true);
    }

    /** What the runner (a later issue) does when a script exits 0. */
    private void succeed(long instanceId) {
        transactions.run(u -> engine.lock(u, instanceId)
                        .chain(i -> engine.finish(u, i, 6, InstanceChange.OP_OPERATOR, "test")))
                .await().atMost(Duration.ofSeconds(10));
    }

    private int dagStatus(long dagId) {
        return pool.preparedQuery("select status from dag_instance where id = $1").execute(Tuple.of(dagId))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger(0);
    }

    private long instanceChangesOf(long instanceId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.query("select count(*) from outbox").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 0);
        if (instanceChanges == null) {
            instanceChanges = new TopicReader(bootstrap, "scheduler.instance-changes");
        }
        instanceChanges.readToEnd();
        return instanceChanges.values(String.valueOf(instanceId)).size();
    }
}
