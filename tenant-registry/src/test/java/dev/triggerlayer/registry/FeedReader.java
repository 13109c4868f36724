package dev.triggerlayer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A consumer of the change feed that replays it into a key → latest-state map, as a gateway would. */
public final class FeedReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, JsonNode> state = new HashMap<>();
    private final List<ConsumerRecord<String, String>> history = new java.util.ArrayList<>();

    public FeedReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Applies whatever arrived within one short poll. */
    public Map<String, JsonNode> poll() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            history.add(r);
            if (r.value() == null) {
                state.remove(r.key());
            } else {
                try {
                    state.put(r.key(), JSON.readTree(r.value()));
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return state;
    }

    /** Polls until the consumer has read to the current end of every partition. */
    public Map<String, JsonNode> readToEnd() {
        var end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("feed not read to its end within 30 s");
            }
            poll();
        }
        return state;
    }

    /** Every record read so far, in topic order (for topics that carry events rather than state). */
    public List<ConsumerRecord<String, String>> records() {
        poll();
        return List.copyOf(history);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
