package dev.triggerlayer.publisher.directory.service;

import dev.triggerlayer.publisher.bus.messaging.KafkaClients;
import dev.triggerlayer.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Replays the registry's change feed into the {@link Directory} on a thread of its own, from
 * the beginning at every start and then following it. It reads with manual assignment and no
 * consumer group: every replica needs the whole feed, and nothing is committed.
 */
@ApplicationScoped
public class RegistryFeedReader {

    private static final Logger LOG = Logger.getLogger(RegistryFeedReader.class);

    private final Directory directory;
    private final KafkaClients kafka;
    private final String topic;
    private final Clock clock;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public RegistryFeedReader(Directory directory, KafkaClients kafka, PublisherConfig config, Clock clock) {
        this.directory = directory;
        this.kafka = kafka;
        this.clock = clock;
        this.topic = config.topics().registryChanges();
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "registry-feed-reader");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = kafka.plainConsumer("event-publisher-directory")) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " has no partitions yet");
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                follow(c);
            } catch (WakeupException | InterruptException e) {
                // stopping
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("registry feed reader failed, restarting from the beginning: %s", e.toString());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, String> c) {
        while (running) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                directory.apply(r.key(), r.value());
            }
            if (!directory.loaded() || directory.hasWaiters()) {
                // Take the requests before measuring the end, so the end is at least as late as each request.
                List<CompletableFuture<Void>> served = directory.pendingWaiters();
                long measuredAt = clock.millis();
                Map<TopicPartition, Long> end = c.endOffsets(c.assignment(), Duration.ofSeconds(10));
                boolean atEnd = end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
                if (atEnd) {
                    directory.reachedEnd(served, measuredAt);
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
