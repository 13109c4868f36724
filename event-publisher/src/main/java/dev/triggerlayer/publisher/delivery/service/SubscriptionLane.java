package dev.triggerlayer.publisher.delivery.service;

import dev.triggerlayer.kit.loop.Backoff;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.kit.tracing.Tracing;
import dev.triggerlayer.publisher.bus.messaging.KafkaClients;
import dev.triggerlayer.publisher.bus.messaging.TopicProvisioner;
import dev.triggerlayer.publisher.subscription.model.Subscription;
import dev.triggerlayer.publisher.subscription.service.SubscriptionFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;
import dev.triggerlayer.kit.loop.SupervisedLoop;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The delivery lane of one subscription: a thread with a Kafka consumer in the subscription's
 * own group, reading its tenant's bus. Events are handled one at a time in partition order, so
 * the events of one instance (one key, one partition) reach the target in order; an event is
 * finished (delivered, filtered out, or dead-lettered) before the next one starts, and its
 * offset is committed only then. A slow or dead endpoint holds up its own lane only.
 *
 * <p>Replicas run a lane per subscription each; the group splits the bus's partitions among
 * them, which keeps the per-key order. A new subscription starts with the events its bus
 * received since the subscription was created.
 */
final class SubscriptionLane {

    private static final Logger LOG = Logger.getLogger(SubscriptionLane.class);

    private final KafkaClients kafka;
    private final TopicProvisioner topics;
    private final EventDelivery delivery;
    private final DeadLetterService deadLetters;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Backoff retryBackoff;
    private final Tracing tracing;
    private final long id;
    private final String busTopic;
    private final Instant startsAt;
    private final AtomicReference<Instant> pendingReplay = new AtomicReference<>();
    private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    private final SupervisedLoop loop;
    private final long createdNanos = System.nanoTime();
    private volatile Subscription subscription;
    private volatile int replayGeneration;

    SubscriptionLane(Subscription subscription, KafkaClients kafka, TopicProvisioner topics, EventDelivery delivery,
                     DeadLetterService deadLetters, ObjectMapper json, MeterRegistry metrics, Backoff retryBackoff, Tracing tracing) {
        this.subscription = subscription;
        this.kafka = kafka;
        this.topics = topics;
        this.delivery = delivery;
        this.deadLetters = deadLetters;
        this.json = json;
        this.metrics = metrics;
        this.retryBackoff = retryBackoff;
        this.tracing = tracing;
        this.id = subscription.id();
        this.busTopic = subscription.busTopic();
        this.startsAt = subscription.createdAt();
        // A replay requested before this lane existed was served by the lanes of that time.
        this.replayGeneration = subscription.replayGeneration();
        this.loop = new SupervisedLoop("lane-subscription-" + id, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10)), this::run);
    }

    void start() {
        loop.start();
    }

    long createdNanos() {
        return createdNanos;
    }

    Subscription subscription() {
        return subscription;
    }

    /** Takes a changed filter or target for the next event; a new replay generation rewinds the lane. */
    void update(Subscription changed) {
        Subscription current = subscription;
        if (changed.updatedAt() != null && current.updatedAt() != null && changed.updatedAt().isBefore(current.updatedAt())) {
            return; // a stale copy from a sync that raced with a local change
        }
        subscription = changed;
        if (changed.replayGeneration() > replayGeneration && changed.replayFrom() != null) {
            replayGeneration = changed.replayGeneration();
            pendingReplay.set(changed.replayFrom());
        }
    }

    /** Asks the lane to stop; an event in delivery is abandoned (and delivered again later). */
    void stop() {
        loop.stop(Duration.ZERO);
    }

    void awaitStopped(Duration timeout) {
        loop.stop(timeout);
    }

    /** One life of the lane's consumer; a failure restarts it at the last commit (SupervisedLoop). */
    private void run(SupervisedLoop loop) {
        try (KafkaConsumer<String, String> c = kafka.laneConsumer(subscription.groupId())) {
            loop.onStop(c::wakeup);
            topics.ensureTenantTopic(busTopic);
            c.subscribe(List.of(busTopic), new Positions(c));
            loop.up();
            try {
                follow(c);
            } finally {
                // Keep what was finished, also when stopping (the interrupt flag would fail the commit,
                // and a pending wakeup fails one call, after which it is spent).
                Thread.interrupted();
                try {
                    commit(c);
                } catch (WakeupException e) {
                    commit(c);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (loop.running()) {
                throw e;
            }
        } finally {
            loop.onStop(null);
            done.clear();
        }
    }

    private boolean running() {
        return loop.running();
    }

    private void follow(KafkaConsumer<String, String> c) {
        while (running()) {
            rewindIfAsked(c);
            ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(300));
            for (ConsumerRecord<String, String> record : records) {
                if (!running()) {
                    break; // the rest is not committed, so it comes again after a restart
                }
                if (pendingReplay.get() != null) {
                    // The consumer is already past this batch: go back to its first unfinished record.
                    seekBackToUnfinished(c, records);
                    break;
                }
                if (!handle(record)) {
                    return;
                }
                done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            commit(c);
        }
    }

    private void seekBackToUnfinished(KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
        for (TopicPartition p : records.partitions()) {
            long first = records.records(p).get(0).offset();
            OffsetAndMetadata finished = done.get(p);
            c.seek(p, finished == null ? first : Math.max(first, finished.offset()));
        }
    }

    /** Delivers (or filters out, or dead-letters) one event; false if the lane stopped meanwhile. */
    private boolean handle(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return true;
        }
        ObjectNode event;
        try {
            JsonNode parsed = json.readTree(record.value());
            if (!(parsed instanceof ObjectNode object)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            event = object;
        } catch (Exception e) {
            LOG.errorf("lane of subscription %d skips an unreadable bus record at %s-%d@%d: %s",
                    id, record.topic(), record.partition(), record.offset(), e.getMessage());
            return true;
        }
        Subscription s = subscription;
        if (!SubscriptionFilter.matches(s, event)) {
            return true;
        }
        CompletableFuture<Integer> attempt = delivery.deliver(s, record.key(), event, tracing.extract(record.headers())).subscribeAsCompletionStage();
        try {
            attempt.get();
            metrics.counter("publisher.deliveries", "outcome", "delivered", "target", target(s)).increment();
            return true;
        } catch (InterruptedException e) {
            attempt.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeliveryExhausted exhausted) {
                return deadLetter(s, record, event, exhausted);
            }
            // Not a delivery failure (a bug, or the target's secret no longer opens): keep it as a dead letter too.
            return deadLetter(s, record, event, new DeliveryExhausted(0, DeliveryFailure.of(e.getCause())));
        }
    }

    private static String target(Subscription s) {
        return s.target().kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The dead letter must be stored before the offset moves on, so it is retried until it is. */
    private boolean deadLetter(Subscription s, ConsumerRecord<String, String> record, ObjectNode event, DeliveryExhausted exhausted) {
        int failures = 0;
        while (running()) {
            CompletableFuture<?> write = deadLetters.record(s, record.key(), record.value(), event.path("id").asText(),
                    event.path("type").asText(), exhausted).subscribeAsCompletionStage();
            try {
                write.get();
                metrics.counter("publisher.deliveries", "outcome", "dead-lettered", "target", target(s)).increment();
                LOG.infof("subscription %d: event %s dead-lettered after %d attempts (%s)", id, event.path("id").asText(),
                        exhausted.attempts(), exhausted.last().getMessage());
                return true;
            } catch (InterruptedException e) {
                write.cancel(true);
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                LOG.warnf("subscription %d: storing a dead letter failed, retrying: %s", id, e.getCause().getMessage());
                if (!sleep(retryBackoff.delay(++failures))) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Moves every assigned partition back to the first record at or after the replay time, but
     * never forward: events the lane has not delivered yet (it was behind) are not skipped.
     */
    private void rewindIfAsked(KafkaConsumer<String, String> c) {
        Instant from = pendingReplay.get();
        Set<TopicPartition> assigned = c.assignment();
        if (from == null || assigned.isEmpty()) {
            return; // a request that comes before the assignment waits for it
        }
        pendingReplay.compareAndSet(from, null);
        commit(c);
        Map<TopicPartition, Long> current = new HashMap<>();
        assigned.forEach(p -> current.put(p, c.position(p)));
        seekTo(c, assigned, from);
        assigned.forEach(p -> {
            if (c.position(p) > current.get(p)) {
                c.seek(p, current.get(p));
            }
        });
        LOG.infof("subscription %d replays from %s on %s", id, from, assigned);
    }

    /**
     * Positions partitions at the first record at or after {@code time}, or at the end. The end
     * is measured first: a record written while this runs is then either found by the time
     * lookup or lies at or after the measured end, and is not skipped.
     */
    private static void seekTo(KafkaConsumer<String, String> c, Collection<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> time.toEpochMilli())));
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp found = at.get(p);
            c.seek(p, found != null ? found.offset() : end.getOrDefault(p, 0L));
        }
    }

    private void commit(KafkaConsumer<String, String> c) {
        if (!done.isEmpty()) {
            c.commitSync(Map.copyOf(done));
            done.clear();
        }
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Commits finished work on revocation; places partitions without a committed offset at the subscription's start. */
    private final class Positions implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, String> c;

        Positions(KafkaConsumer<String, String> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> finished = new HashMap<>();
            for (TopicPartition p : partitions) {
                OffsetAndMetadata offset = done.remove(p);
                if (offset != null) {
                    finished.put(p, offset);
                }
            }
            if (!finished.isEmpty()) {
                c.commitSync(finished);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.copyOf(partitions));
            List<TopicPartition> fresh = partitions.stream().filter(p -> committed.get(p) == null).toList();
            if (!fresh.isEmpty()) {
                seekTo(c, fresh, startsAt);
            }
        }
    }
}
