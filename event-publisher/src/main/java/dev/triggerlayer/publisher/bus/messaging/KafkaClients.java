package dev.triggerlayer.publisher.bus.messaging;

import dev.triggerlayer.kit.kafka.KafkaSettings;
import dev.triggerlayer.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Map;

/**
 * The Kafka clients of the publisher: one shared idempotent producer (all writes: buses,
 * subscription topics, dead letters), one admin client, and consumers made to order, all from
 * the kit's {@link KafkaSettings}. Plain kafka-clients rather than channels, because delivery
 * lanes come and go with subscriptions and each needs a consumer group of its own.
 */
@ApplicationScoped
public class KafkaClients {

    private final KafkaSettings kafka;
    private final PublisherConfig config;
    private volatile KafkaProducer<String, String> producer;
    private volatile Admin admin;

    public KafkaClients(KafkaSettings kafka, PublisherConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    public synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = kafka.reliableProducer("event-publisher", Map.of(
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    // A poll's events leave in few large requests rather than many 16 KiB ones: less broker work per event.
                    ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                    // A send to a topic that does not exist fails within this bound instead of stalling a lane for a minute.
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000));
        }
        return producer;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            admin = kafka.admin();
        }
        return admin;
    }

    /** A consumer without a group, for manual assignment (replay lookups). */
    public KafkaConsumer<String, String> plainConsumer(String clientId) {
        return kafka.assignedConsumer(clientId);
    }

    /** The consumer that turns scheduler records into events; replicas share its group. */
    public KafkaConsumer<String, String> schedulerConsumer() {
        return kafka.groupConsumer("event-publisher-scheduler", config.topics().consumerGroup(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Each poll costs one wait for the bus acknowledgements and one offset commit; a larger
                // poll spreads that fixed cost over more events when the scheduler writes a burst.
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
    }

    /** The consumer of one subscription's delivery lane: a group per subscription, shared by replicas. */
    public KafkaConsumer<String, String> laneConsumer(String groupId) {
        return kafka.groupConsumer(groupId, groupId, Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.delivery().maxBatch(),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, config.delivery().maxPollInterval().toMillis())));
    }

    /** Closes the producer and the admin client (after the lanes and consumers have stopped). */
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
