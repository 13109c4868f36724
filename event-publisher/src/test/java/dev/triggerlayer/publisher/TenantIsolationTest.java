package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.publisher.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tenant never receives another tenant's events, whatever its subscription says. */
@QuarkusTest
class TenantIsolationTest {

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
    void tenantBsSubscriptionsNeverSeeTenantAsEvents() {
        Feeds.Tenant a = feeds.tenant("default");
        Feeds.Tenant b = feeds.tenant("default");
        try (Receiver receiverA = Receiver.start(); Receiver receiverB = Receiver.start()) {
            // No filter at all: "everything" still means everything of its own tenant.
            long subA = Api.httpSubscription(a.tenantId(), receiverA.url(), null, null).getLong("id");
            long subB = Api.httpSubscription(b.tenantId(), receiverB.url(), null, null).getLong("id");
            String topicB = "tenant." + b.tenantId() + ".events.all";
            long kafkaB = Api.kafkaSubscription(b.tenantId(), topicB).getLong("id");

            List<String> eventsOfA = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                eventsOfA.add(feeds.instanceChange(a, Api.uniqueId(), 4, 1763769601000L + i));
            }
            eventsOfA.add(feeds.dagChange(a, Api.uniqueId(), 6));
            String eventOfB = feeds.instanceChange(b, Api.uniqueId(), 4, 1763769601000L);

            await().atMost(Duration.ofSeconds(30)).until(() -> !receiverB.requestsFor(eventOfB).isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOfA.stream().allMatch(id -> !receiverA.requestsFor(id).isEmpty()));

            for (Receiver.Request request : receiverB.requests()) {
                assertEquals(b.tenantId(), request.json().at("/data/tenantId").asLong(), "B got " + request.json());
                assertTrue(!eventsOfA.contains(request.eventId()));
            }
            assertTrue(receiverA.requestsFor(eventOfB).isEmpty());

            try (TopicReader target = new TopicReader(bootstrap, topicB)) {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        target.values().stream().anyMatch(e -> eventOfB.equals(e.path("id").asText())));
                for (JsonNode event : target.values()) {
                    assertEquals(b.tenantId(), event.at("/data/tenantId").asLong());
                }
            }
            try (TopicReader busB = new TopicReader(bootstrap, "tenant." + b.tenantId() + ".bus.default")) {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        busB.values().stream().anyMatch(e -> eventOfB.equals(e.path("id").asText())));
                assertTrue(busB.values().stream().allMatch(e -> e.at("/data/tenantId").asLong() == b.tenantId()));
            }
            Api.delete(subA);
            Api.delete(subB);
            Api.delete(kafkaB);
        }
    }

    @Test
    void aSubscriptionCannotReachIntoAnotherTenant() {
        Feeds.Tenant a = feeds.tenant("default");
        Feeds.Tenant b = feeds.tenant("default");
        operator().body(Map.of("tenantId", b.tenantId(), "name", "steal-topic",
                        "target", Map.of("kind", "KAFKA", "topic", "tenant." + a.tenantId() + ".stolen")))
                .post("/api/v1/subscriptions")
                .then().statusCode(400).body("code", equalTo("InvalidParameter")).body("field", equalTo("target.topic"));

        operator().body(Map.of("tenantId", b.tenantId(), "name", "steal-bus",
                        "target", Map.of("kind", "KAFKA", "topic", "tenant." + b.tenantId() + ".bus.default")))
                .post("/api/v1/subscriptions")
                .then().statusCode(400).body("field", equalTo("target.topic"));

        operator().body(Map.of("tenantId", b.tenantId(), "name", "steal-workspace", "workspaceId", a.workspaceId(),
                        "target", Map.of("kind", "HTTP", "url", "http://127.0.0.1:9/x")))
                .post("/api/v1/subscriptions")
                .then().statusCode(400).body("field", equalTo("workspaceId"));
    }
}
