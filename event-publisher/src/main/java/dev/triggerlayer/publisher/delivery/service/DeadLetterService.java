package dev.triggerlayer.publisher.delivery.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.bus.messaging.KafkaClients;
import dev.triggerlayer.publisher.bus.messaging.TopicProvisioner;
import dev.triggerlayer.publisher.bus.service.TopicNames;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.publisher.delivery.model.DeadLetter;
import dev.triggerlayer.publisher.delivery.model.DeadLetterStatus;
import dev.triggerlayer.publisher.delivery.model.DeadLetterView;
import dev.triggerlayer.publisher.delivery.repository.DeadLetterRepository;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.publisher.subscription.model.Subscription;
import dev.triggerlayer.publisher.subscription.repository.SubscriptionRepository;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Events whose delivery attempts ran out: kept in the {@code dead_letter} table (to inspect and
 * re-drive through the API) and written to the tenant's dead-letter topic
 * {@code tenant.<T>.dlq} (for tenants who process them with their own consumers).
 */
@ApplicationScoped
public class DeadLetterService {

    private static final Logger LOG = Logger.getLogger(DeadLetterService.class);

    private final DeadLetterRepository deadLetters;
    private final SubscriptionRepository subscriptions;
    private final EventDelivery delivery;
    private final KafkaClients kafka;
    private final TopicProvisioner topics;
    private final ObjectMapper json;
    private final Clock clock;
    private final PublisherConfig config;

    public DeadLetterService(DeadLetterRepository deadLetters, SubscriptionRepository subscriptions, EventDelivery delivery,
                             KafkaClients kafka, TopicProvisioner topics, ObjectMapper json, Clock clock, PublisherConfig config) {
        this.deadLetters = deadLetters;
        this.subscriptions = subscriptions;
        this.delivery = delivery;
        this.kafka = kafka;
        this.topics = topics;
        this.json = json;
        this.clock = clock;
        this.config = config;
    }

    /** Records an exhausted delivery: the row first, then the tenant's dead-letter topic. */
    public Uni<DeadLetter> record(Subscription s, String key, String payload, String eventId, String eventType,
                                  DeliveryExhausted exhausted) {
        return deadLetters.upsert(s.id(), s.tenantId(), eventId, eventType, key, payload, exhausted.attempts(),
                        exhausted.last().getMessage(), exhausted.last().status(), clock.instant())
                .call(dead -> toTopic(s, dead));
    }

    public Uni<List<DeadLetterView>> list(long subscriptionId, String status, String limit) {
        DeadLetterStatus wanted = status(status);
        int max = limit(limit);
        return requireSubscription(subscriptionId)
                .chain(s -> deadLetters.list(subscriptionId, wanted, max))
                .map(all -> all.stream().map(this::view).toList());
    }

    public Uni<DeadLetterView> get(long subscriptionId, long id) {
        return requireSubscription(subscriptionId)
                .chain(s -> deadLetters.find(subscriptionId, id))
                .onItem().ifNull().failWith(() -> new NotFoundException("dead letter", id))
                .map(this::view);
    }

    /**
     * Sends the event again, in the background, to the subscription's current target with the
     * usual retries. Answers at once with the dead letter in state REDRIVING; it becomes
     * REDRIVEN when delivered, or DEAD again (attempts added up) when every attempt failed.
     * A re-driven event arrives out of order with the instance's later events by nature.
     */
    public Uni<DeadLetterView> redrive(long subscriptionId, long id) {
        Instant now = clock.instant();
        return requireSubscription(subscriptionId).chain(s -> deadLetters
                .claimForRedrive(subscriptionId, id, now, now.minus(config.delivery().redriveStaleAfter()))
                .chain(claimed -> claimed != null
                        ? Uni.createFrom().item(claimed)
                        : deadLetters.find(subscriptionId, id).map(existing -> {
                            if (existing == null) {
                                throw new NotFoundException("dead letter", id);
                            }
                            throw new ConflictException("dead letter " + id + " is already being re-driven");
                        }))
                .invoke(claimed -> startRedrive(s, claimed))
                .map(this::view));
    }

    /** Fire and forget: every outcome, also an unusable row, ends in REDRIVEN or DEAD. */
    private void startRedrive(Subscription s, DeadLetter dead) {
        Uni.createFrom().item(() -> event(s, dead))
                // A redrive is an operator's request: it belongs to that request's trace.
                .chain(event -> delivery.deliver(s, dead.recordKey(), event, Context.current()))
                .chain(attempts -> deadLetters.markRedriven(dead.id(), attempts, clock.instant()))
                .onFailure().recoverWithUni(failure -> {
                    DeliveryExhausted exhausted = failure instanceof DeliveryExhausted e
                            ? e
                            : new DeliveryExhausted(0, DeliveryFailure.of(failure));
                    return deadLetters.markDead(dead.id(), exhausted.attempts(), exhausted.last().getMessage(),
                            exhausted.last().status(), clock.instant());
                })
                .subscribe().with(
                        done -> LOG.debugf("re-drive of dead letter %d finished", dead.id()),
                        failure -> LOG.warnf("re-drive of dead letter %d could not record its outcome: %s", dead.id(), failure.getMessage()));
    }

    /** The stored event, which must be one of the subscription's tenant (it passed the tenant check once). */
    private ObjectNode event(Subscription s, DeadLetter dead) {
        JsonNode event;
        try {
            event = json.readTree(dead.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dead letter " + dead.id() + " holds no readable event");
        }
        if (!(event instanceof ObjectNode object) || object.path("data").path("tenantId").asLong(-1) != s.tenantId()) {
            throw new IllegalStateException("dead letter " + dead.id() + " is not an event of tenant " + s.tenantId());
        }
        return object;
    }

    private Uni<Void> toTopic(Subscription s, DeadLetter dead) {
        String topic = TopicNames.deadLetters(s.tenantId());
        return Uni.createFrom().item(() -> {
                    topics.ensureTenantTopic(topic);
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic, dead.recordKey(), dead.payload());
                    header(record, "event-id", dead.eventId());
                    header(record, "subscription-id", String.valueOf(s.id()));
                    header(record, "dead-letter-id", String.valueOf(dead.id()));
                    header(record, "attempts", String.valueOf(dead.attempts()));
                    header(record, "last-error", dead.lastError());
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

    private Uni<Subscription> requireSubscription(long id) {
        return subscriptions.find(id).onItem().ifNull().failWith(() -> new NotFoundException("subscription", id));
    }

    private DeadLetterView view(DeadLetter d) {
        JsonNode event;
        try {
            event = json.readTree(d.payload());
        } catch (JsonProcessingException e) {
            event = json.getNodeFactory().textNode(d.payload());
        }
        return new DeadLetterView(d.id(), d.subscriptionId(), d.tenantId(), d.eventId(), d.eventType(), d.recordKey(),
                d.attempts(), d.lastError(), d.lastStatus(), d.status(), d.failedAt(), d.redriveRequestedAt(),
                d.redrivenAt(), event);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static DeadLetterStatus status(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return DeadLetterStatus.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "must be DEAD, REDRIVING or REDRIVEN");
        }
    }

    private static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("limit", "must be 1-1000");
    }
}
