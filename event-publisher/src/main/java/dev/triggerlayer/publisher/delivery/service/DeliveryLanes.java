package dev.triggerlayer.publisher.delivery.service;

import dev.triggerlayer.kit.loop.Backoff;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.tracing.Tracing;
import dev.triggerlayer.publisher.bus.messaging.KafkaClients;
import dev.triggerlayer.publisher.bus.messaging.TopicProvisioner;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.publisher.subscription.model.Subscription;
import dev.triggerlayer.publisher.subscription.repository.SubscriptionRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One delivery lane per subscription on this replica. Changes made through this replica's API
 * take effect at once; changes made through another replica arrive with the periodic sync from
 * the database ({@code publisher.subscriptions.sync-interval}).
 */
@ApplicationScoped
public class DeliveryLanes {

    private static final Logger LOG = Logger.getLogger(DeliveryLanes.class);

    private final SubscriptionRepository subscriptions;
    private final KafkaClients kafka;
    private final TopicProvisioner topics;
    private final EventDelivery delivery;
    private final DeadLetterService deadLetters;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Backoff retryBackoff;
    private final Tracing tracing;
    private final Map<Long, SubscriptionLane> lanes = new ConcurrentHashMap<>();
    /** Deleted here; a sync that read the table before the delete must not bring the lane back. */
    private final Set<Long> deleted = ConcurrentHashMap.newKeySet();
    private volatile boolean started;

    public DeliveryLanes(SubscriptionRepository subscriptions, KafkaClients kafka, TopicProvisioner topics,
                         EventDelivery delivery, DeadLetterService deadLetters, ObjectMapper json, MeterRegistry metrics,
                         PublisherConfig config, Tracing tracing) {
        this.subscriptions = subscriptions;
        this.kafka = kafka;
        this.topics = topics;
        this.delivery = delivery;
        this.deadLetters = deadLetters;
        this.json = json;
        this.metrics = metrics;
        this.retryBackoff = new Backoff(config.delivery().initialBackoff(), config.delivery().maxBackoff());
        this.tracing = tracing;
        metrics.gauge("publisher.lanes", lanes, Map::size);
        // Registered up front, so alerts on dead letters see a zero rather than no series.
        for (String target : List.of("http", "kafka")) {
            for (String outcome : List.of("delivered", "dead-lettered")) {
                metrics.counter("publisher.deliveries", "outcome", outcome, "target", target);
            }
        }
    }

    /** Starts a lane for every subscription (blocking; at start-up). */
    public void start() {
        started = true;
        sync().await().atMost(Duration.ofSeconds(60));
    }

    @Scheduled(every = "${publisher.subscriptions.sync-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledSync() {
        return started ? sync().onFailure().invoke(e -> LOG.warnf("subscription sync failed: %s", e.getMessage()))
                .onFailure().recoverWithNull() : Uni.createFrom().voidItem();
    }

    /** Brings the lanes in line with the subscription table. */
    public Uni<Void> sync() {
        long readAt = System.nanoTime();
        return subscriptions.list(null).invoke(all -> apply(all, readAt)).replaceWithVoid();
    }

    private synchronized void apply(List<Subscription> all, long readAt) {
        if (!started) {
            return;
        }
        Set<Long> present = new HashSet<>();
        for (Subscription s : all) {
            present.add(s.id());
            upsert(s);
        }
        for (SubscriptionLane lane : new ArrayList<>(lanes.values())) {
            // A lane started after the table was read may belong to a subscription created meanwhile.
            if (!present.contains(lane.subscription().id()) && lane.createdNanos() < readAt) {
                remove(lane.subscription().id());
            }
        }
    }

    /** Starts the subscription's lane, or gives the running lane the changed subscription. */
    public synchronized void upsert(Subscription s) {
        if (!started || deleted.contains(s.id())) {
            return;
        }
        SubscriptionLane lane = lanes.get(s.id());
        if (lane != null) {
            lane.update(s);
            return;
        }
        lane = new SubscriptionLane(s, kafka, topics, delivery, deadLetters, json, metrics, retryBackoff, tracing);
        lanes.put(s.id(), lane);
        lane.start();
        LOG.debugf("lane of subscription %d started on %s", s.id(), s.busTopic());
    }

    /** Stops the subscription's lane (without waiting for it). */
    public synchronized void remove(long id) {
        deleted.add(id);
        SubscriptionLane lane = lanes.remove(id);
        if (lane != null) {
            lane.stop();
        }
    }

    /** Stops every lane and waits for them (at shut-down). */
    public void stopAll() {
        List<SubscriptionLane> stopping;
        synchronized (this) {
            started = false;
            stopping = new ArrayList<>(lanes.values());
            lanes.clear();
        }
        stopping.forEach(SubscriptionLane::stop);
        stopping.forEach(lane -> lane.awaitStopped(Duration.ofSeconds(10)));
    }
}
