package dev.triggerlayer.kit.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka clients made by hand (outbox relays, feed readers, the gateway's command producer), all
 * from the one {@code kafka.*} configuration Quarkus collects: bootstrap servers, and in a
 * production deployment TLS and SASL settings, so no client connects differently from another.
 */
@ApplicationScoped
public class KafkaSettings {

    /**
     * Every consumer group's session timeout: the broker's default minimum
     * ({@code group.min.session.timeout.ms}), so it works with any broker; a dead member is replaced
     * in about this long. The SmallRye channels set the same two values in their configuration.
     */
    public static final int SESSION_TIMEOUT_MS = 6000;
    /** A third of the session, less a margin: two heartbeats may be lost before the member is. */
    public static final int HEARTBEAT_INTERVAL_MS = 1500;

    private final Map<String, Object> common;

    public KafkaSettings(@Identifier("default-kafka-broker") Map<String, Object> common) {
        Map<String, Object> copy = new HashMap<>();
        common.forEach((k, v) -> {
            // Quarkus hands over every kafka.* key; the client-specific ones are set per client below.
            if (!k.startsWith("health") && !k.startsWith("devservices") && !k.startsWith("snappy")) {
                copy.put(k, v);
            }
        });
        this.common = Map.copyOf(copy);
    }

    public String bootstrapServers() {
        return String.valueOf(common.get("bootstrap.servers"));
    }

    /**
     * An idempotent producer with {@code acks=all}: a broker fail-over neither loses nor
     * duplicates a send, and records of one key keep their order when the producer retries.
     */
    public KafkaProducer<String, String> reliableProducer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A send to an unreachable broker fails within this bound instead of blocking its caller for a minute.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(overrides);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** A consumer with no group (manual assignment, nothing committed) that reads from the beginning. */
    public KafkaConsumer<String, String> assignedConsumer(String clientId) {
        Map<String, Object> props = consumerBase(clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * A consumer in {@code groupId} that commits by hand; {@code overrides} win. A member that dies
     * is out of the group after {@link #SESSION_TIMEOUT_MS} and its partitions go to the others (or
     * to its restarted self): see README, "Fail-over".
     */
    public KafkaConsumer<String, String> groupConsumer(String clientId, String groupId, Map<String, Object> overrides) {
        Map<String, Object> props = consumerBase(clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        props.putAll(overrides);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    public Admin admin() {
        return Admin.create(new HashMap<>(common));
    }

    private Map<String, Object> consumerBase(String clientId) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Topics are created by their owners with their declared settings, never by a reader's metadata request.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }
}
