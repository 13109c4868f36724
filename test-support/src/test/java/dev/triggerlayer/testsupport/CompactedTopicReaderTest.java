package dev.triggerlayer.testsupport;

import dev.triggerlayer.kit.kafka.CompactedTopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's compacted-topic reader on a real broker: replay, follow, barriers, reconnect. */
class CompactedTopicReaderTest {

    private final String kafka = SharedServers.kafka();

    @Test
    void replaysFromTheBeginningThenFollowsAndServesBarriers() throws Exception {
        String topic = topic();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "a", "1")).get();
            producer.send(new ProducerRecord<>(topic, "b", "1")).get();
            producer.send(new ProducerRecord<>(topic, "a", "2")).get();
            producer.send(new ProducerRecord<>(topic, "b", null)).get();

            Map<String, String> copy = new ConcurrentHashMap<>();
            CompactedTopicReader reader = new CompactedTopicReader("test-reader", this::consumer, List.of(topic),
                    (t, k, v) -> apply(copy, k, v), Clock.systemUTC());
            reader.start();
            try {
                reader.initialLoad().toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertEquals(Map.of("a", "2"), copy, "the latest state of each key; a tombstone deletes");
                long loadedAsOf = reader.caughtUpAsOf();
                assertTrue(loadedAsOf > 0);

                producer.send(new ProducerRecord<>(topic, "c", "3")).get();
                // A barrier taken after the write completes only once the reader applied it.
                reader.barrier().toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertEquals("3", copy.get("c"));
                assertTrue(reader.caughtUpAsOf() >= loadedAsOf);
                assertNull(reader.failure());
            } finally {
                reader.stop();
            }
        }
    }

    @Test
    void aFailedConnectionIsRetriedAndShowsAsAFailureMeanwhile() throws Exception {
        String topic = topic();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> allowed = new CompletableFuture<>();
        Map<String, String> copy = new ConcurrentHashMap<>();
        CompactedTopicReader reader = new CompactedTopicReader("flaky-reader", () -> {
            attempts.incrementAndGet();
            if (!allowed.isDone()) {
                throw new IllegalStateException("broker unreachable (injected)");
            }
            return consumer();
        }, List.of(topic), (t, k, v) -> apply(copy, k, v), Clock.systemUTC());
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.failure() != null && attempts.get() >= 2);
            assertFalse(reader.loaded());
            allowed.complete(null);
            reader.initialLoad().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(Map.of("k", "v"), copy);
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.failure() == null);
        } finally {
            reader.stop();
        }
    }

    private static void apply(Map<String, String> copy, String key, String value) {
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
    }

    private String topic() throws Exception {
        String name = "compacted-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(1), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
    }
}
