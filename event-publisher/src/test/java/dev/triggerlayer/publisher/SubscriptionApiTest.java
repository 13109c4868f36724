package dev.triggerlayer.publisher;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.publisher.Api.operator;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The subscription API: auth, validation, errors, secrets shown once, update, delete, replay. */
@QuarkusTest
class SubscriptionApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Feeds feeds;

    @BeforeEach
    void open() {
        feeds = new Feeds(bootstrap);
    }

    @AfterEach
    void close() {
        feeds.close();
    }

    @Test
    void everyCallNeedsTheOperatorToken() {
        given().get("/api/v1/subscriptions").then().statusCode(401).body("code", equalTo("Unauthorized"));
        given().header("Authorization", "Bearer wrong").get("/api/v1/subscriptions").then().statusCode(401);
        operator().get("/api/v1/subscriptions").then().statusCode(200);
    }

    @Test
    void theSecretIsShownOnceAndRotationReplacesIt() {
        Feeds.Tenant t = feeds.tenant("default");
        JsonPath created = Api.httpSubscription(t.tenantId(), "https://hooks.example.com/dw", null, List.of(Api.INSTANCE_TYPE));
        long id = created.getLong("id");
        assertEquals("CLOUDEVENT", created.getString("target.format"));
        assertEquals("tenant." + t.tenantId() + ".bus.default", created.getString("busTopic"));
        String secret = created.getString("secret");

        operator().get("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("secret", nullValue()).body("target.url", equalTo("https://hooks.example.com/dw"));
        operator().get("/api/v1/subscriptions?tenantId=" + t.tenantId()).then().statusCode(200)
                .body("id", hasItem((int) id)).body("secret", org.hamcrest.Matchers.everyItem(nullValue()));

        String rotated = operator().post("/api/v1/subscriptions/" + id + "/rotate-secret").then().statusCode(200)
                .extract().jsonPath().getString("secret");
        assertNotEquals(secret, rotated);

        long kafka = Api.kafkaSubscription(t.tenantId(), "tenant." + t.tenantId() + ".events").getLong("id");
        operator().get("/api/v1/subscriptions/" + kafka).then().body("secret", nullValue());
        operator().post("/api/v1/subscriptions/" + kafka + "/rotate-secret").then().statusCode(409).body("code", equalTo("Conflict"));
        Api.delete(id);
        Api.delete(kafka);
    }

    @Test
    void badInputIsA400NamingTheField() {
        Feeds.Tenant t = feeds.tenant("default");
        long unknownTenant = Api.uniqueId();
        refused(Map.of("tenantId", unknownTenant, "name", "x", "target", Map.of("kind", "HTTP", "url", "http://h/")), "tenantId");
        refused(Map.of("tenantId", t.tenantId(), "name", "x"), "target");
        // An unreadable nested value is named by its path, like the service's own checks.
        refused(Map.of("tenantId", t.tenantId(), "name", "x", "target", Map.of("kind", "SMTP")), "target.kind");
        refused(Map.of("tenantId", t.tenantId(), "name", "x", "target", Map.of("kind", "HTTP", "url", "ftp://h/")), "target.url");
        refused(Map.of("tenantId", t.tenantId(), "name", "x", "target", Map.of("kind", "KAFKA", "topic", "events")), "target.topic");
        refused(Map.of("tenantId", t.tenantId(), "name", "bad name!", "target", Map.of("kind", "HTTP", "url", "http://h/")), "name");
        refused(Map.of("tenantId", t.tenantId(), "name", "x", "busName", "a/b", "target", Map.of("kind", "HTTP", "url", "http://h/")), "busName");
        refused(Map.of("tenantId", t.tenantId(), "name", "x", "workspaceId", Api.uniqueId(),
                "target", Map.of("kind", "HTTP", "url", "http://h/")), "workspaceId");
        operator().body(Map.of("tenantId", t.tenantId(), "name", "x", "filter", Map.of("types", List.of("instance-status-changes")),
                        "target", Map.of("kind", "HTTP", "url", "http://h/")))
                .post("/api/v1/subscriptions").then().statusCode(400).body("field", startsWith("filter.types"));
        operator().body("{not json").post("/api/v1/subscriptions").then().statusCode(400).body("code", equalTo("InvalidParameter"));
        operator().get("/api/v1/subscriptions/abc").then().statusCode(400).body("field", equalTo("subscriptionId"));
        operator().post("/api/v1/subscriptions/1/replay?from=yesterday").then().statusCode(400).body("field", equalTo("from"));
        operator().get("/api/v1/subscriptions/1/dead-letters?status=LOST").then().statusCode(400);
    }

    @Test
    void targetsOnLoopbackPrivateOrMetadataAddressesAreRefused() {
        Feeds.Tenant t = feeds.tenant("default");
        int port = io.restassured.RestAssured.port;
        // The publisher's own admin API among them: a target must not turn deliveries against the platform.
        for (String url : List.of("http://127.0.0.2:" + port + "/api/v1/tenants", "http://127.1.2.3:" + port + "/api/v1/subscriptions",
                "http://[::1]/", "http://[::ffff:127.0.0.2]/", "http://2130706434/", "http://0.0.0.0/", "http://10.0.0.1/",
                "http://169.254.169.254/latest/meta-data/", "http://192.168.0.1/", "http://[fd00::1]/")) {
            operator().body(Map.of("tenantId", t.tenantId(), "name", "ssrf", "target", Map.of("kind", "HTTP", "url", url)))
                    .post("/api/v1/subscriptions").then().statusCode(400).body("code", equalTo("InvalidParameter"))
                    .body("field", equalTo("target.url")).body("message", org.hamcrest.Matchers.containsString("may not use"));
        }
        operator().get("/api/v1/subscriptions?tenantId=" + t.tenantId()).then().statusCode(200)
                .body("findAll { it.name == 'ssrf' }.size()", equalTo(0));
    }

    @Test
    void unknownThingsAre404AndDuplicatesAre409() {
        operator().get("/api/v1/subscriptions/987654321987").then().statusCode(404).body("code", equalTo("NotFound"));
        operator().get("/api/v1/subscriptions/987654321987/dead-letters").then().statusCode(404);
        operator().post("/api/v1/subscriptions/987654321987/dead-letters/1/redrive").then().statusCode(404);
        operator().post("/api/v1/subscriptions/987654321987/replay?from=2026-11-22T08:00:00Z").then().statusCode(404);
        operator().delete("/api/v1/subscriptions/987654321987").then().statusCode(404);

        Feeds.Tenant t = feeds.tenant("default");
        Map<String, Object> body = Map.of("tenantId", t.tenantId(), "name", "twice",
                "target", Map.of("kind", "KAFKA", "topic", "tenant." + t.tenantId() + ".twice"));
        long id = operator().body(body).post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath().getLong("id");
        operator().body(body).post("/api/v1/subscriptions").then().statusCode(409).body("code", equalTo("Conflict"));
        operator().get("/api/v1/subscriptions/" + id + "/dead-letters/987654321").then().statusCode(404);
        Api.delete(id);
    }

    @Test
    void updateChangesTheFilterAndKeepsTenantAndBus() {
        Feeds.Tenant t = feeds.tenant("default");
        JsonPath created = Api.httpSubscription(t.tenantId(), "https://hooks.example.com/a", null, null);
        long id = created.getLong("id");
        operator().body(Map.of("tenantId", t.tenantId(), "name", "renamed", "workspaceId", t.workspaceId(),
                        "filter", Map.of("types", List.of(Api.DAG_TYPE), "projectIds", List.of(t.workspaceId())),
                        "target", Map.of("kind", "HTTP", "url", "https://hooks.example.com/b", "format", "FC")))
                .put("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("name", equalTo("renamed"))
                .body("filter.types", equalTo(List.of(Api.DAG_TYPE)))
                .body("target.format", equalTo("FC"))
                .body("secret", nullValue());
        operator().body(Map.of("tenantId", Api.uniqueId(), "name", "renamed", "target", Map.of("kind", "HTTP", "url", "https://h/")))
                .put("/api/v1/subscriptions/" + id).then().statusCode(400).body("field", equalTo("tenantId"));
        // Becoming an HTTP target from a Kafka one creates (and shows) a secret.
        long kafka = Api.kafkaSubscription(t.tenantId(), "tenant." + t.tenantId() + ".upd").getLong("id");
        operator().body(Map.of("tenantId", t.tenantId(), "name", "now-http", "target", Map.of("kind", "HTTP", "url", "https://h/")))
                .put("/api/v1/subscriptions/" + kafka).then().statusCode(200).body("secret", startsWith("whsec_"));

        Api.delete(id);
        Api.delete(kafka);
        operator().get("/api/v1/subscriptions/" + id).then().statusCode(404);
    }

    @Test
    void replayDeliversAgainWhatTheBusReceivedSinceTheGivenTime() {
        Feeds.Tenant t = feeds.tenant("default");
        String topic = "tenant." + t.tenantId() + ".replayed";
        long id = Api.kafkaSubscription(t.tenantId(), topic).getLong("id");
        String before = feeds.instanceChange(t, Api.uniqueId(), 4, 1763769601000L);

        try (TopicReader target = new TopicReader(bootstrap, topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> count(target, before) == 1);
            Instant from = Instant.now();
            String after = feeds.instanceChange(t, Api.uniqueId(), 4, 1763769602000L);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(target, after) == 1);

            operator().post("/api/v1/subscriptions/" + id + "/replay?from=" + from).then().statusCode(202)
                    .body("subscriptionId", equalTo((int) id)).body("replayGeneration", equalTo(1)).body("from", notNullValue());

            await().atMost(Duration.ofSeconds(30)).until(() -> count(target, after) == 2);
            assertEquals(1, count(target, before), "the bus received it before 'from'");
        }
        Api.delete(id);
    }

    private static long count(TopicReader reader, String eventId) {
        return reader.values().stream().filter(e -> eventId.equals(e.path("id").asText())).count();
    }

    private static void refused(Map<String, Object> body, String field) {
        operator().body(body).post("/api/v1/subscriptions")
                .then().statusCode(400).body("code", equalTo("InvalidParameter")).body("field", equalTo(field));
    }
}
