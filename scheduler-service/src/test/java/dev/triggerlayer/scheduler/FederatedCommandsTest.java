package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.instance;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands from another region (docs/federation.md), as MirrorMaker 2 copies them here
 * ({@code cn-shanghai.federation.trigger-commands}; this scheduler's region is {@code cn-hangzhou}):
 * the ones homed here are applied like local ones and answered on {@code federation.trigger-outcomes},
 * a duplicate copy changes nothing, one homed elsewhere is left alone, one older than the trigger
 * retention is refused.
 */
@QuarkusTest
class FederatedCommandsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");
    static final Instant EIGHT = Instant.parse("2026-11-22T08:00:00Z");
    static final String COPY = "cn-shanghai.federation.trigger-commands";

    static KafkaCompanion kafka;
    static TopicReader federatedOutcomes;
    static TopicReader localOutcomes;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;
    long trigger;

    @BeforeEach
    void dueTrigger() {
        if (kafka == null) {
            kafka = new KafkaCompanion(bootstrap);
            federatedOutcomes = new TopicReader(bootstrap, "federation.trigger-outcomes");
            localOutcomes = new TopicReader(bootstrap, "scheduler.trigger-outcomes");
        }
        CLOCK.set(START);
        workspace = uniqueId();
        trigger = uniqueId();
        deploy(workspace, "UTC", List.of(node(trigger, "HTTP_TRIGGER", "00 00 08 * * ?", "IMMEDIATE")));
        CLOCK.set(EIGHT.plusSeconds(30));
    }

    @AfterAll
    static void close() {
        if (kafka != null) {
            federatedOutcomes.close();
            localOutcomes.close();
            kafka.close();
        }
    }

    @Test
    void aCommandHomedHereIsAppliedOnceAndAnsweredToItsRegion() {
        UUID id = UUID.randomUUID();
        send(id, "cn-hangzhou", CLOCK.instant());
        JsonNode outcome = federatedOutcomes.await(id.toString(), v -> true);
        assertEquals("TRIGGERED", outcome.path("outcome").asText(), outcome.toString());
        assertEquals(instance(workspace, trigger, EIGHT).path("Id").asLong(), outcome.path("taskInstanceId").asLong());
        assertEquals("Success", instance(workspace, trigger, EIGHT).path("Status").asText());

        send(id, "cn-hangzhou", CLOCK.instant()); // MirrorMaker 2 copied it twice
        JsonNode again = federatedOutcomes.await(id.toString(), v -> v.path("redelivered").asBoolean());
        assertEquals("TRIGGERED", again.path("outcome").asText());
        assertEquals(1, count("select count(*) from trigger_command where command_id = $1", id));
        assertTrue(localOutcomes.values(id.toString()).isEmpty(), "no answer on the local outcome topic: no local gateway waits for it");
    }

    @Test
    void aCommandHomedInAnotherRegionIsLeftToThatRegion() {
        UUID elsewhere = UUID.randomUUID(), marker = UUID.randomUUID();
        send(elsewhere, "cn-beijing", CLOCK.instant());
        send(marker, "cn-hangzhou", CLOCK.instant()); // same key, so decided after it
        federatedOutcomes.await(marker.toString(), v -> true);
        assertEquals(0, count("select count(*) from trigger_command where command_id = $1", elsewhere));
        assertTrue(federatedOutcomes.values(elsewhere.toString()).isEmpty());
    }

    @Test
    void aCommandArrivingAfterTheRetentionIsRefused() {
        UUID late = UUID.randomUUID();
        send(late, "cn-hangzhou", CLOCK.instant().minus(Duration.ofHours(25)));
        JsonNode outcome = federatedOutcomes.await(late.toString(), v -> true);
        assertEquals("REFUSED", outcome.path("outcome").asText());
        assertEquals("RetentionExpired", outcome.path("code").asText());
        assertTrue(outcome.path("message").asText().contains("home region"), outcome.toString());
        JsonNode untouched = instance(workspace, trigger, EIGHT);
        assertNotEquals("Success", untouched.path("Status").asText(), "nothing applied: " + untouched);
        assertTrue(untouched.path("TriggeredTime").isMissingNode() || untouched.path("TriggeredTime").isNull(), untouched.toString());
    }

    private void send(UUID id, String homeRegion, Instant issuedAt) {
        Map<String, Object> command = new HashMap<>(Map.of("commandId", id.toString(), "issuedAt", issuedAt.toString(),
                "action", "TriggerSchedulerTaskInstance", "taskId", trigger, "env", "Prod", "triggerTime", EIGHT.toEpochMilli(),
                "principal", "1002/1202/LTAItest", "homeRegion", homeRegion, "originRegion", "cn-shanghai"));
        try {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(COPY, "Prod/" + trigger + "/" + EIGHT.toEpochMilli(),
                    JSON.writeValueAsString(command))).awaitCompletion();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }
}
