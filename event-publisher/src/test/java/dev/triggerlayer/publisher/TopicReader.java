package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;


/**
 * Reads a topic from its beginning (waiting for the publisher to create it) and keeps every
 * record, so tests can wait for the events they expect.
 */
public final class TopicReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Never create the topic here: the publisher creates it with its own settings.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        List<PartitionInfo> partitions = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                partitions.clear();
                partitions.addAll(consumer.partitionsFor(topic, Duration.ofSeconds(2)));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                return false;
            }
            return !partitions.isEmpty();
        });
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
    }

    public synchronized List<ConsumerRecord<String, String>> poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return List.copyOf(records);
    }

    /** Every record's value as JSON, in the order read. */
    public List<JsonNode> values() {
        List<JsonNode> out = new ArrayList<>();
        for (var r : poll()) {
            if (r.value() != null) {
                out.add(json(r.value()));
            }
        }
        return out;
    }

    /** Values (as JSON) of the records with this key, in topic order. */
    public List<JsonNode> values(String key) {
        List<JsonNode> out = new ArrayList<>();
        for (var r : poll()) {
            if (key.equals(r.key()) && r.value() != null) {
                out.add(json(r.value()));
            }
        }
        return out;
    }

    /** Waits for a record with this key whose value matches, and returns it. */
    public JsonNode await(String key, Predicate<JsonNode> matching) {
        return json(awaitRecord(key, matching).value());
    }

    public ConsumerRecord<String, String> awaitRecord(String key, Predicate<JsonNode> matching) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (var r : poll()) {
                if (key.equals(r.key()) && r.value() != null && matching.test(json(r.value()))) {
                    found.add(r);
                    return true;
                }
            }
            return false;
        });
        return found.get(0);
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
