package dev.triggerlayer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads topics the way a tenant's consumer would, for the tests' checks of the buses. */
final class Topics {

    private Topics() {
    }

    /**
     * Every JSON record of {@code topics} (those that exist), from the beginning up to their end
     * offsets as they were when the read began: no group, nothing committed.
     */
    static Map<String, List<JsonNode>> readAll(String bootstrap, Collection<String> topics, Duration timeout) throws Exception {
        Map<String, List<JsonNode>> out = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            Set<String> existing = consumer.listTopics().keySet();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                if (existing.contains(t)) {
                    consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        out.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(TriggerLayer.JSON.readTree(r.value()));
                    }
                }
            }
        }
        return out;
    }
}
