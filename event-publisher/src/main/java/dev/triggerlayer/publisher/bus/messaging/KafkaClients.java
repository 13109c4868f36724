package dev.triggerlayer.publisher.bus.messaging;

import dev.triggerlayer.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka clients of the publisher: one shared idempotent producer (all writes: buses,
 * subscription topics, dead letters), one admin client, and consumers made to order. Plain
 * kafka-clients rather than channels, because delivery lanes come and go with subscriptions and
 * each needs a consumer group of its own.
 */
@ApplicationScoped
public class KafkaClients {

    private final String bootstrapServers;
    private final PublisherConfig config;
    private volatile KafkaProducer<String, String> producer;
    private volatile Admin admin;

    public KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, PublisherConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    public synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            // acks=all + idempotence: a broker failover neither loses nor duplicates a send, and
            // records of one key keep their order even when the producer retries.
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            // A poll's events leave in few large requests rather than many 16 KiB ones: less broker work per event.
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            // A send to a topic that does not exist fails within this bound instead of stalling a lane for a minute.
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "event-publisher");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    /** A consumer without a group, for manual assignment (the registry feed, replay lookups). */
    public KafkaConsumer<String, String> plainConsumer(String clientId) {
        Map<String, Object> props = base(clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** The consumer that turns scheduler records into events; replicas share its group. */
    public KafkaConsumer<String, String> schedulerConsumer() {
        Map<String, Object> props = base("event-publisher-scheduler");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.topics().consumerGroup());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A first start publishes what the scheduler already wrote instead of skipping it.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Each poll costs one wait for the bus acknowledgements and one offset commit; a larger
        // poll spreads that fixed cost over more events when the scheduler writes a burst.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** The consumer of one subscription's delivery lane: a group per subscription, shared by replicas. */
    public KafkaConsumer<String, String> laneConsumer(String groupId) {
        Map<String, Object> props = base(groupId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only a fallback: a lane positions partitions without a committed offset itself.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.delivery().maxBatch());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, config.delivery().maxPollInterval().toMillis()));
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private Map<String, Object> base(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // Topics are created by the publisher with their intended settings, never by a consumer's metadata request.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
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
