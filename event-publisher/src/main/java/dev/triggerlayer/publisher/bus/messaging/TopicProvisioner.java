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
 * Creates the tenant topics the publisher owns (buses, dead letters, subscription targets) before
 * anything writes to them, so that each gets its intended partitions and retention rather than a
 * broker's auto-create defaults. The topics it reads belong to other owners (contracts/topics.json).
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
