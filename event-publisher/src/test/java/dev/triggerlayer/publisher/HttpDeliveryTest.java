package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.publisher.delivery.service.Signature;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.triggerlayer.publisher.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP subscriptions against an endpoint started by the test: signed deliveries, retries,
 * dead letters (table and topic), re-drive, and lanes that do not wait for each other.
 * The %test profile allows 4 attempts with retry delays of at most 100 ms.
 */
@QuarkusTest
class HttpDeliveryTest {

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
    void anEndpointThatFailsTwiceGetsTheEventSignedOnTheThirdAttempt() {
        Feeds.Tenant t = feeds.tenant("default");
        try (Receiver receiver = Receiver.start().refuseFirst(2)) {
            JsonPath subscription = Api.httpSubscription(t.tenantId(), receiver.url(), null, List.of(Api.INSTANCE_TYPE));
            String secret = subscription.getString("secret");
            assertTrue(secret.startsWith("whsec_"));

            String changeId = feeds.instanceChange(t, Api.uniqueId(), 4, 1763769601000L);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(changeId).stream().anyMatch(Receiver.Request::accepted));

            List<Receiver.Request> attempts = receiver.requestsFor(changeId);
            assertEquals(3, attempts.size(), "two refusals, then the delivery");
            assertEquals(List.of("1", "2", "3"), attempts.stream().map(r -> r.header("X-Triggerlayer-Delivery-Attempt")).toList());
            Receiver.Request delivered = attempts.get(2);
            assertTrue(Signature.verify(secret, delivered.header(Signature.HEADER), delivered.body(), Instant.now().getEpochSecond(), 300),
                    "signature " + delivered.header(Signature.HEADER));
            assertTrue(delivered.header("Content-Type").startsWith("application/cloudevents+json"));
            assertEquals(subscription.getString("id"), delivered.header("X-Triggerlayer-Subscription-Id"));
            JsonNode event = delivered.json();
            assertEquals(changeId, event.get("id").asText());
            EventSchemas.assertValid("instance-status-changes.schema.json", event);
            Api.delete(subscription.getLong("id"));
        }
    }

    @Test
    void functionComputeFormatIsTheDocumentedFlatMessage() {
        Feeds.Tenant t = feeds.tenant("default");
        try (Receiver receiver = Receiver.start()) {
            JsonPath subscription = Api.httpSubscription(t.tenantId(), receiver.url(), "FC", null);
            String changeId = feeds.dagChange(t, Api.uniqueId(), 6);
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requestsFor(changeId).isEmpty());
            Receiver.Request request = receiver.requestsFor(changeId).get(0);
            JsonNode message = request.json();
            EventSchemas.assertValid("fc-message.schema.json", message);
            assertEquals(changeId, message.get("messageId").asText());
            assertEquals("dag-status-changes", message.get("eventType").asText());
            assertEquals(t.tenantId(), message.at("/messageBody/tenantId").asLong());
            assertTrue(Signature.verify(subscription.getString("secret"), request.header(Signature.HEADER), request.body(),
                    Instant.now().getEpochSecond(), 300));
            Api.delete(subscription.getLong("id"));
        }
    }

    @Test
    void anEventNoAttemptDeliversIsDeadLetteredAndCanBeRedriven() {
        Feeds.Tenant t = feeds.tenant("default");
        try (Receiver receiver = Receiver.start().refuseAll()) {
            JsonPath subscription = Api.httpSubscription(t.tenantId(), receiver.url(), null, null);
            long id = subscription.getLong("id");
            long task = Api.uniqueId();
            String changeId = feeds.instanceChange(t, task, 5, 1763769601000L);

            // In the table, inspectable through the API ...
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    operator().get("/api/v1/subscriptions/" + id + "/dead-letters").jsonPath().getList("eventId").contains(changeId));
            JsonPath dead = operator().get("/api/v1/subscriptions/" + id + "/dead-letters").jsonPath();
            assertEquals("DEAD", dead.getString("[0].status"));
            assertEquals(4, dead.getInt("[0].attempts"), "publisher.delivery.max-attempts in %test");
            assertEquals(503, dead.getInt("[0].lastStatus"));
            assertEquals(changeId, dead.getString("[0].event.id"));
            assertEquals(4, receiver.requestsFor(changeId).size());
            long deadLetterId = dead.getLong("[0].id");

            // ... and on the tenant's dead-letter topic.
            try (TopicReader dlq = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".dlq")) {
                var record = dlq.awaitRecord(String.valueOf(task), e -> changeId.equals(e.path("id").asText()));
                assertEquals(String.valueOf(id), TopicReader.header(record, "subscription-id"));
                assertEquals(String.valueOf(deadLetterId), TopicReader.header(record, "dead-letter-id"));
                assertEquals(changeId, TopicReader.header(record, "event-id"));
            }

            // The endpoint is fixed; a re-drive delivers the same event, signed.
            receiver.acceptAll();
            operator().post("/api/v1/subscriptions/" + id + "/dead-letters/" + deadLetterId + "/redrive")
                    .then().statusCode(202).body("status", equalTo("REDRIVING"));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(changeId).stream().anyMatch(Receiver.Request::accepted));
            Receiver.Request delivered = receiver.requestsFor(changeId).stream().filter(Receiver.Request::accepted).findFirst().orElseThrow();
            assertTrue(Signature.verify(subscription.getString("secret"), delivered.header(Signature.HEADER), delivered.body(),
                    Instant.now().getEpochSecond(), 300));
            assertEquals(changeId, delivered.json().get("id").asText());
            await().atMost(Duration.ofSeconds(30)).until(() -> "REDRIVEN".equals(
                    operator().get("/api/v1/subscriptions/" + id + "/dead-letters/" + deadLetterId).jsonPath().getString("status")));
            assertEquals(5, operator().get("/api/v1/subscriptions/" + id + "/dead-letters/" + deadLetterId).jsonPath().getInt("attempts"));
            Api.delete(id);
        }
    }

    @Test
    void aSlowEndpointDoesNotHoldUpAnotherSubscription() {
        Feeds.Tenant t = feeds.tenant("default");
        // The slow endpoint hangs on every request until the test is done with the fast one.
        try (Receiver slow = Receiver.start().hold().refuseAll();
             Receiver fast = Receiver.start()) {
            long slowId = Api.httpSubscription(t.tenantId(), slow.url(), null, null).getLong("id");
            long fastId = Api.httpSubscription(t.tenantId(), fast.url(), null, null).getLong("id");
            List<String> changes = List.of(
                    feeds.instanceChange(t, Api.uniqueId(), 4, 1763769601000L),
                    feeds.instanceChange(t, Api.uniqueId(), 4, 1763769601000L),
                    feeds.instanceChange(t, Api.uniqueId(), 4, 1763769601000L));

            await().atMost(Duration.ofSeconds(10)).until(() -> changes.stream().allMatch(c -> !fast.requestsFor(c).isEmpty()));
            // Each of its attempts waits for the 2 s request timeout, so its three events cannot all be done yet.
            assertTrue(operator().get("/api/v1/subscriptions/" + slowId + "/dead-letters").jsonPath().getList("id").size() < 3,
                    "the slow lane is still busy with its own events");
            slow.release();
            Api.delete(slowId);
            Api.delete(fastId);
        }
    }

}
