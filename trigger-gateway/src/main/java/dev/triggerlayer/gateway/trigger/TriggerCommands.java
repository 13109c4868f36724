package dev.triggerlayer.gateway.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes trigger commands (idempotent producer, acks=all, keyed by instance) and hands each
 * request the scheduler's outcome for its command id. Every replica reads every partition of the
 * outcome topic from the moment it started and keeps only the outcomes someone waits for.
 */
@ApplicationScoped
public class TriggerCommands {

    private static final Logger LOG = Logger.getLogger(TriggerCommands.class);

    private final GatewayConfig.Topics topics;
    private final String bootstrapServers;
    private final ObjectMapper json;
    private final Map<UUID, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final Map<String, Instant> usageReported = new ConcurrentHashMap<>();
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> outcomes;
    private Thread listener;

    public TriggerCommands(GatewayConfig config, ObjectMapper json, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.topics = config.topics();
        this.json = json;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "trigger-gateway"), new StringSerializer(), new StringSerializer());
        outcomes = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "trigger-gateway-outcomes"), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = outcomes.partitionsFor(topics.triggerOutcomes(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        outcomes.assign(partitions);
        outcomes.seekToEnd(partitions);
        partitions.forEach(outcomes::position); // fix the start now: outcomes of our commands come later
        listener = new Thread(this::listen, "trigger-outcome-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (outcomes != null) {
            outcomes.wakeup();
            listener.join(5000);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Publishes the command (after the broker acknowledged it, it will be applied) and waits for its
     * outcome. Fails with {@link OutcomeTimeout} when none arrives within {@code timeout}.
     */
    public Uni<JsonNode> send(TriggerCommand command, Duration timeout) {
        CompletableFuture<JsonNode> outcome = waiting.computeIfAbsent(command.commandId(), id -> new CompletableFuture<>());
        String value;
        try {
            value = json.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topics.triggerCommands(), command.key(), value), (md, error) -> {
            if (error == null) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(error);
            }
        });
        return Uni.createFrom().completionStage(sent)
                .chain(() -> Uni.createFrom().completionStage(outcome))
                .ifNoItem().after(timeout).failWith(() -> new OutcomeTimeout(command.commandId()))
                .onTermination().invoke(() -> waiting.remove(command.commandId(), outcome));
    }

    /** Tells the registry when a key was used, at most once a minute per key and replica. */
    public void reportUsage(String accessKeyId, Instant now) {
        Instant last = usageReported.get(accessKeyId);
        if (last != null && last.isAfter(now.minusSeconds(60))) {
            return;
        }
        usageReported.put(accessKeyId, now);
        // Usage is telemetry, not accepted state: losing one record only delays lastUsedAt.
        producer.send(new ProducerRecord<>(topics.accessKeyUsage(), accessKeyId,
                "{\"accessKeyId\":\"" + accessKeyId + "\",\"usedAt\":\"" + now + "\"}"));
    }

    private void listen() {
        try {
            while (true) {
                for (ConsumerRecord<String, String> r : outcomes.poll(Duration.ofMillis(500))) {
                    try {
                        CompletableFuture<JsonNode> f = waiting.get(UUID.fromString(r.key()));
                        if (f != null) {
                            f.complete(json.readTree(r.value()));
                        }
                    } catch (Exception e) {
                        LOG.warnf("ignoring an unreadable trigger outcome %s: %s", r.key(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            outcomes.close();
        }
    }

    /** No outcome arrived in time; the command may still be applied. */
    public static class OutcomeTimeout extends RuntimeException {
        public OutcomeTimeout(UUID commandId) {
            super("no outcome for command " + commandId + " yet", null, false, false);
        }
    }
}
