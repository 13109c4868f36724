package dev.triggerlayer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.triggerlayer.registry.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every change reaches the compacted topic; a consumer replaying it rebuilds the registry's state. */
@QuarkusTest
class ChangeFeedTest {

    private static final String TOPIC = "registry.changes";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Pool pool;

    @Test
    void topicIsCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    @Test
    void aFreshConsumerRebuildsTheSameState() throws Exception {
        String region = Api.region();
        long tenant = Api.tenant(region);
        long ws = Api.workspace(tenant);
        long user = Api.user(tenant, "SUB");
        operator().body(Map.of("roles", List.of("DEVELOP"))).put("/api/v1/workspaces/" + ws + "/members/" + user).then().statusCode(200);
        operator().body(Map.of("name", "default", "regionId", region)).post("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(201);
        long doomed = Api.workspace(tenant);
        operator().delete("/api/v1/workspaces/" + doomed).then().statusCode(204);
        // A later update must win over the earlier state.
        operator().body(Map.of("tenantId", tenant, "name", "renamed" + ws)).put("/api/v1/workspaces/" + ws).then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(this::outboxDrained);
        try (FeedReader fresh = new FeedReader(bootstrap, TOPIC)) {
            Map<String, JsonNode> state = fresh.readToEnd();
            assertSame(state, "region/" + region, "/api/v1/regions/" + region);
            assertSame(state, "tenant/" + tenant, "/api/v1/tenants/" + tenant);
            assertSame(state, "workspace/" + ws, "/api/v1/workspaces/" + ws);
            assertSame(state, "user/" + user, "/api/v1/users/" + user);
            assertEquals(json(operator().get("/api/v1/workspaces/" + ws + "/members").asString()).get(0),
                    state.get("member/" + ws + "/" + user).get("data"));
            assertEquals(json(operator().get("/api/v1/tenants/" + tenant + "/event-buses").asString()).get(0),
                    state.get("event-bus/" + tenant + "/default").get("data"));
            assertNull(state.get("workspace/" + doomed), "a deleted entity is a tombstone");
        }
    }

    @Test
    void disablingAKeyReachesAConsumerWithinOneSecond() {
        long user = Api.user(Api.tenant(Api.region()), "SUB");
        String[] key = Api.accessKey(user);
        try (FeedReader consumer = new FeedReader(bootstrap, TOPIC)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.poll().containsKey("access-key/" + key[0]));
            operator().post("/api/v1/access-keys/" + key[0] + "/disable").then().statusCode(200);
            long disabledAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !consumer.poll().get("access-key/" + key[0]).path("data").path("enabled").asBoolean());
            System.out.printf("disable visible to consumer after %d ms%n", (System.nanoTime() - disabledAt) / 1_000_000);
        }
    }

    @Test
    void gatewayUsageRecordsUpdateLastUsedTime() {
        long user = Api.user(Api.tenant(Api.region()), "SUB");
        String[] key = Api.accessKey(user);
        Instant usedAt = Instant.parse("2026-11-22T08:00:00Z");
        try (KafkaCompanion companion = new KafkaCompanion(bootstrap)) {
            companion.produceStrings().fromRecords(
                    new ProducerRecord<>("registry.access-key-usage", key[0], "{\"accessKeyId\":\"" + key[0] + "\",\"usedAt\":\"" + usedAt + "\"}"),
                    // An older, late record never moves the time backwards; a malformed one is skipped.
                    new ProducerRecord<>("registry.access-key-usage", key[0], "{\"accessKeyId\":\"" + key[0] + "\",\"usedAt\":\"2020-01-01T00:00:00Z\"}"),
                    new ProducerRecord<>("registry.access-key-usage", key[0], "not json")).awaitCompletion();
        }
        await().atMost(Duration.ofSeconds(15)).until(() ->
                usedAt.toString().equals(operator().get("/api/v1/access-keys/" + key[0]).jsonPath().getString("lastUsedAt")));
    }

    private void assertSame(Map<String, JsonNode> state, String key, String apiPath) throws Exception {
        JsonNode record = state.get(key);
        assertFalse(record == null, key + " missing from the feed");
        assertEquals(json(operator().get(apiPath).then().statusCode(200).extract().asString()), record.get("data"), key);
    }

    private boolean outboxDrained() {
        return pool.query("select count(*) from outbox where published_at is null").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 0;
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
