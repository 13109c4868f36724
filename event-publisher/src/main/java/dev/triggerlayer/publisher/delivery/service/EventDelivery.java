package dev.triggerlayer.publisher.delivery.service;

import dev.triggerlayer.kit.loop.Backoff;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.bus.messaging.KafkaClients;
import dev.triggerlayer.publisher.bus.messaging.TopicProvisioner;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.publisher.event.service.CloudEventFactory;
import dev.triggerlayer.publisher.event.service.FcMessage;
import dev.triggerlayer.publisher.subscription.model.DeliveryFormat;
import dev.triggerlayer.publisher.subscription.model.Subscription;
import dev.triggerlayer.publisher.subscription.model.TargetKind;
import dev.triggerlayer.kit.tracing.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delivers one event to one subscription's target, retrying with exponential backoff and full
 * jitter up to {@code publisher.delivery.max-attempts}. Succeeds with the number of attempts
 * used; fails with {@link DeliveryExhausted} when all of them failed. Cancelling the returned
 * Uni (a lane stopping) stops further attempts.
 */
@ApplicationScoped
public class EventDelivery {

    public static final String EVENT_ID_HEADER = "X-Triggerlayer-Event-Id";
    public static final String SUBSCRIPTION_HEADER = "X-Triggerlayer-Subscription-Id";
    public static final String ATTEMPT_HEADER = "X-Triggerlayer-Delivery-Attempt";

    private final HttpSender http;
    private final KafkaClients kafka;
    private final TopicProvisioner topics;
    private final SealedSecrets sealer;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Tracing tracing;
    private final Counter retries;

    public EventDelivery(HttpSender http, KafkaClients kafka, TopicProvisioner topics, SealedSecrets sealer,
                         ObjectMapper json, Clock clock, PublisherConfig config, Tracing tracing, MeterRegistry metrics) {
        this.http = http;
        this.kafka = kafka;
        this.topics = topics;
        this.sealer = sealer;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = Math.max(1, config.delivery().maxAttempts());
        this.backoff = new Backoff(config.delivery().initialBackoff(), config.delivery().maxBackoff());
        this.tracing = tracing;
        this.retries = Counter.builder("publisher.delivery.retries").description("delivery attempts after a failed one").register(metrics);
    }

    /**
     * Delivers the event with retries; the span of the delivery (all its attempts) is a child of
     * {@code trace}, the event's trace, and the target gets it as {@code traceparent}.
     */
    public Uni<Integer> deliver(Subscription subscription, String key, ObjectNode event, Context trace) {
        boolean kafkaTarget = subscription.target().kind() == TargetKind.KAFKA;
        Span span = tracing.span((kafkaTarget ? subscription.target().topic() + " publish" : "POST") + " subscription " + subscription.id(),
                        kafkaTarget ? SpanKind.PRODUCER : SpanKind.CLIENT, trace)
                .setAttribute("triggerlayer.subscription_id", subscription.id())
                .setAttribute("triggerlayer.event_id", event.path("id").asText())
                .setAttribute("triggerlayer.tenant_id", subscription.tenantId())
                .startSpan();
        Context delivery = trace.with(span);
        return attempt(subscription, key, event, 1, delivery)
                .invoke(attempts -> span.setAttribute("triggerlayer.attempts", attempts))
                .onFailure().invoke(span::recordException)
                .onTermination().invoke(span::end);
    }

    private Uni<Integer> attempt(Subscription subscription, String key, ObjectNode event, int attempt, Context trace) {
        return Uni.createFrom().deferred(() -> once(subscription, key, event, attempt, trace))
                .replaceWith(attempt)
                .onFailure().recoverWithUni(failure -> {
                    DeliveryFailure f = DeliveryFailure.of(failure);
                    if (attempt >= maxAttempts) {
                        return Uni.createFrom().failure(new DeliveryExhausted(attempt, f));
                    }
                    retries.increment();
                    // delayIt() refuses a zero delay; a millisecond is as good as none.
                    Duration wait = backoff.delay(attempt);
                    return Uni.createFrom().voidItem()
                            .onItem().delayIt().by(wait.isZero() ? Duration.ofMillis(1) : wait)
                            .chain(() -> attempt(subscription, key, event, attempt + 1, trace));
                });
    }

    /** One attempt. */
    Uni<Void> once(Subscription subscription, String key, ObjectNode event, int attempt, Context trace) {
        if (subscription.target().kind() == TargetKind.KAFKA) {
            return toTopic(subscription, key, event, trace);
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(subscription.target().format() == DeliveryFormat.FC ? FcMessage.of(json, event) : event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        String secret = sealer.open(subscription.sealedSecret(), subscription.secretOwner());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Signature.HEADER, Signature.header(secret, clock.instant().getEpochSecond(), body));
        headers.put(EVENT_ID_HEADER, event.path("id").asText());
        headers.put(SUBSCRIPTION_HEADER, String.valueOf(subscription.id()));
        headers.put(ATTEMPT_HEADER, String.valueOf(attempt));
        tracing.inject(trace, headers);
        String contentType = subscription.target().format() == DeliveryFormat.FC
                ? "application/json; charset=utf-8"
                : CloudEventFactory.STRUCTURED_MEDIA_TYPE;
        return http.post(subscription.target().url(), body, contentType, headers);
    }

    private Uni<Void> toTopic(Subscription subscription, String key, ObjectNode event, Context trace) {
        String topic = subscription.target().topic();
        return Uni.createFrom().item(() -> {
                    // Blocking (admin call, producer metadata): off the event loop, once per topic.
                    topics.ensureTenantTopic(topic);
                    ProducerRecord<String, String> record;
                    try {
                        record = new ProducerRecord<>(topic, key, json.writeValueAsString(event));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    record.headers().add("event-id", event.path("id").asText().getBytes(StandardCharsets.UTF_8));
                    record.headers().add("content-type", CloudEventFactory.STRUCTURED_MEDIA_TYPE.getBytes(StandardCharsets.UTF_8));
                    tracing.inject(trace, record.headers());
                    return record;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(record -> Uni.createFrom().<Void>emitter(em -> kafka.producer().send(record, (metadata, error) -> {
                    if (error == null) {
                        em.complete(null);
                    } else {
                        em.fail(error);
                    }
                })));
    }
}
