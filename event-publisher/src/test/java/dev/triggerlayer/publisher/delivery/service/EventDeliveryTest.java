package dev.triggerlayer.publisher.delivery.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.publisher.subscription.model.DeliveryFormat;
import dev.triggerlayer.publisher.subscription.model.EventFilter;
import dev.triggerlayer.publisher.subscription.model.Subscription;
import dev.triggerlayer.publisher.subscription.model.Target;
import dev.triggerlayer.publisher.subscription.model.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import dev.triggerlayer.kit.tracing.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP delivery with its retries, against a real local HTTP server; no Quarkus, no Kafka. */
class EventDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    HttpServer server;
    final AtomicInteger failuresLeft = new AtomicInteger();
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    SealedSecrets sealer;
    EventDelivery delivery;
    io.vertx.mutiny.core.Vertx vertx;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(Map.of(
                    "signature", exchange.getRequestHeaders().getFirst(Signature.HEADER),
                    "attempt", exchange.getRequestHeaders().getFirst(EventDelivery.ATTEMPT_HEADER),
                    "eventId", exchange.getRequestHeaders().getFirst(EventDelivery.EVENT_ID_HEADER),
                    "contentType", exchange.getRequestHeaders().getFirst("Content-Type")));
            bodies.add(body);
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        sealer = SealedSecrets.ring("publisher.at-rest", "k1", Map.of("k1", KEY));
        PublisherConfig config = TestConfig.publisher(4, Duration.ofMillis(5), Duration.ofMillis(20));
        delivery = new EventDelivery(new HttpSender(vertx = io.vertx.mutiny.core.Vertx.vertx(), config), null, null, sealer, JSON, Clock.systemUTC(), config,
                new Tracing(OpenTelemetry.noop()), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        vertx.closeAndAwait();
    }

    Subscription subscription(DeliveryFormat format, String secret) {
        return new Subscription(7, 1002, null, "s", "default", EventFilter.all(),
                new Target(TargetKind.HTTP, null, "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", format),
                sealer.seal(secret, Subscription.secretOwner(7)), null, 0, Instant.now(), Instant.now());
    }

    ObjectNode event() {
        ObjectNode event = JSON.createObjectNode().put("id", "e-1").put("type", "dataworks:InstanceStatusChanges:InstanceStatusChanges");
        event.set("data", JSON.createObjectNode().put("tenantId", 1002).put("eventCode", "instance-status-changes"));
        return event;
    }

    @Test
    void retriesUntilTheEndpointAcceptsAndSignsEveryAttempt() throws Exception {
        failuresLeft.set(2);
        int attempts = delivery.deliver(subscription(DeliveryFormat.CLOUDEVENT, "whsec_s1"), "100", event(), Context.root())
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(3, attempts);
        assertEquals(3, requests.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(String.valueOf(i + 1), requests.get(i).get("attempt"));
            assertEquals("e-1", requests.get(i).get("eventId"));
            assertEquals("application/cloudevents+json; charset=utf-8", requests.get(i).get("contentType"));
            assertTrue(Signature.verify("whsec_s1", requests.get(i).get("signature"), bodies.get(i),
                    Instant.now().getEpochSecond(), 60), "signature of attempt " + (i + 1));
        }
        assertEquals(event(), JSON.readTree(bodies.get(2)));
    }

    @Test
    void givesUpAfterMaxAttempts() {
        failuresLeft.set(100);
        var failure = assertThrows(RuntimeException.class, () -> delivery
                .deliver(subscription(DeliveryFormat.CLOUDEVENT, "whsec_s1"), "100", event(), Context.root()).await().atMost(Duration.ofSeconds(10)));
        DeliveryExhausted exhausted = assertInstanceOf(DeliveryExhausted.class, failure);
        assertEquals(4, exhausted.attempts());
        assertEquals(503, exhausted.last().status());
        assertEquals(4, requests.size());
    }

    @Test
    void anUnreachableEndpointIsAFailedAttemptToo() throws Exception {
        server.stop(0);
        var future = delivery.deliver(subscription(DeliveryFormat.CLOUDEVENT, "whsec_s1"), "100", event(), Context.root()).subscribeAsCompletionStage();
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        DeliveryExhausted exhausted = assertInstanceOf(DeliveryExhausted.class, e.getCause());
        assertEquals(null, exhausted.last().status());
    }

    @Test
    void functionComputeFormat() throws Exception {
        delivery.deliver(subscription(DeliveryFormat.FC, "whsec_s2"), "100", event(), Context.root()).await().atMost(Duration.ofSeconds(10));
        var body = JSON.readTree(bodies.get(0));
        assertEquals("e-1", body.get("messageId").asText());
        assertEquals("instance-status-changes", body.get("eventType").asText());
        assertEquals("application/json; charset=utf-8", requests.get(0).get("contentType"));
        assertTrue(Signature.verify("whsec_s2", requests.get(0).get("signature"), bodies.get(0), Instant.now().getEpochSecond(), 60));
    }

    /** A configuration with the defaults of PublisherConfig and the given retry settings. */
    static final class TestConfig {

        static PublisherConfig publisher(int maxAttempts, Duration initial, Duration max) {
            return publisher(maxAttempts, initial, max, java.util.List.of("127.0.0.1/32"));
        }

        static PublisherConfig publisher(int maxAttempts, Duration initial, Duration max, java.util.List<String> allowedPrivateTargets) {
            // A proxy, not a class: the interface's validation constraints would make a class of it an interceptor target.
            Map<String, Object> values = Map.of("maxAttempts", maxAttempts, "initialBackoff", initial, "maxBackoff", max,
                    "connectTimeout", Duration.ofSeconds(2), "requestTimeout", Duration.ofSeconds(2), "maxBatch", 20,
                    "maxPollInterval", Duration.ofMinutes(30), "redriveStaleAfter", Duration.ofMinutes(10),
                    "allowedPrivateTargets", java.util.Optional.of(allowedPrivateTargets));
            PublisherConfig.Delivery delivery = (PublisherConfig.Delivery) java.lang.reflect.Proxy.newProxyInstance(
                    PublisherConfig.Delivery.class.getClassLoader(), new Class<?>[] {PublisherConfig.Delivery.class},
                    (proxy, method, args) -> values.get(method.getName()));
            return new PublisherConfig() {
                public KeyRing atRest() { return new KeyRing() {
                    public String active() { return "k1"; }
                    public Map<String, String> keys() { return Map.of("k1", KEY); }
                }; }
                public Topics topics() { return null; }
                public Bus bus() { return null; }
                public Directory directory() { return null; }
                public Delivery delivery() { return delivery; }
                public Subscriptions subscriptions() { return () -> Duration.ofSeconds(10); }
            };
        }
    }
}
