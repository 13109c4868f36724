package dev.triggerlayer.publisher.bus.messaging;

import dev.triggerlayer.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics the publisher reads and writes before anything uses them, so that every
 * topic gets its intended partitions and settings rather than a broker's auto-create defaults.
 * Blocking: call it from a lane, a consumer thread or a worker, never from an event loop.
 */
@ApplicationScoped
public class TopicProvisioner {

    private final KafkaClients kafka;
    private final PublisherConfig config;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public TopicProvisioner(KafkaClients kafka, PublisherConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    /**
     * The inputs, created like their writers create them (the scheduler: 3 partitions; the
     * registry feed: one compacted partition), in case the publisher starts first.
     */
    public void ensureInputs() {
        ensure(new NewTopic(config.topics().instanceChanges(), Optional.of(3), replication()));
        ensure(new NewTopic(config.topics().dagChanges(), Optional.of(3), replication()));
        ensure(new NewTopic(config.topics().instanceOperations(), Optional.of(3), replication()));
        ensure(new NewTopic(config.topics().registryChanges(), Optional.of(1), replication())
                .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")));
    }

    /** A tenant topic (bus, dead letters, subscription target) with the bus settings. */
    public void ensureTenantTopic(String topic) {
        if (known.contains(topic)) {
            return;
        }
        ensure(new NewTopic(topic, Optional.of(config.bus().partitions()), replication())
                .configs(Map.of("retention.ms", String.valueOf(config.bus().retention().toMillis()))));
    }

    private void ensure(NewTopic topic) {
        try {
            kafka.admin().createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating " + topic.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic.name(), e);
        }
        known.add(topic.name());
    }

    private Optional<Short> replication() {
        return config.bus().replicationFactor().map(Integer::shortValue);
    }
}
