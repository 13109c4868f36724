package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Test helpers: the operator API, and trigger commands sent and answered through the real broker. */
public final class Scenario {

    public static final String TOKEN = "test-operator-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Scenario() {
    }

    public static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    public static long uniqueId() {
        return ThreadLocalRandom.current().nextLong(10_000_000L, 9_000_000_000L);
    }

    public static Map<String, Object> node(long id, String type, String cron, String generation, Long... upstream) {
        Map<String, Object> n = new java.util.HashMap<>(Map.of("id", id, "name", "n" + id, "type", type, "cron", cron,
                "instanceGeneration", generation, "upstream", List.of(upstream)));
        if (type.equals("SHELL")) {
            n.put("script", "echo \"DataWorks\"");
        }
        return n;
    }

    /** Creates and deploys a workflow; returns its id. */
    public static long deploy(long workspace, String zone, List<Map<String, Object>> nodes) {
        long id = uniqueId();
        operator().body(Map.of("id", id, "tenantId", 1002, "workspaceId", workspace, "env", "Prod", "name", "wf" + id,
                        "owner", "tester", "timeZone", zone, "nodes", nodes))
                .post("/api/v1/workflows").then().statusCode(201);
        operator().header("X-Operator", "tester").post("/api/v1/workflows/" + id + "/deploy").then().statusCode(200);
        return id;
    }

    /** The instance of a node at a scheduled time, as the query API shows it. */
    public static JsonNode instance(long workspace, long nodeId, Instant cycTime) {
        String body = operator().queryParam("ProjectId", workspace).queryParam("TaskId", nodeId)
                .queryParam("TriggerTime", cycTime.toEpochMilli())
                .get("/api/v1/instances").then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body).path("PagingInfo").path("TaskInstances").path(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a trigger command through Kafka (keyed by instance, as the gateway does). */
    public static void send(KafkaCompanion kafka, UUID commandId, long taskId, Instant triggerTime, Long appId) {
        Map<String, Object> command = new java.util.HashMap<>(Map.of("commandId", commandId.toString(), "issuedAt", Instant.now().toString(),
                "action", appId == null ? "TriggerSchedulerTaskInstance" : "RunTriggerNode", "taskId", taskId, "env", "Prod",
                "triggerTime", triggerTime.toEpochMilli(), "principal", "1002/1202/LTAItest"));
        if (appId != null) {
            command.put("appId", appId);
        }
        try {
            kafka.produceStrings().fromRecords(new ProducerRecord<>("scheduler.trigger-commands",
                    "Prod/" + taskId + "/" + triggerTime.toEpochMilli(), JSON.writeValueAsString(command))).awaitCompletion();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
