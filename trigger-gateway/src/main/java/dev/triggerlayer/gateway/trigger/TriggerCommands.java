package dev.triggerlayer.gateway.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.kit.kafka.KafkaSettings;
import dev.triggerlayer.kit.kafka.TopicCatalog;
import dev.triggerlayer.kit.loop.Backoff;
import dev.triggerlayer.kit.loop.SupervisedLoop;
import dev.triggerlayer.kit.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Publishes trigger commands (idempotent producer, acks=all, keyed by instance) and hands each
 * request the scheduler's outcome for its command id. Every replica reads every partition of the
 * outcome topic from the moment it started and keeps only the outcomes someone waits for. The
 * reader is a {@link SupervisedLoop}: after a failure it reconnects with backoff and resumes at the
 * offsets it had reached, so no outcome is missed; meanwhile readiness is DOWN and triggers are
 * refused with a retryable error rather than left to time out.
 */
@ApplicationScoped
public class TriggerCommands {

    private static final Logger LOG = Logger.getLogger(TriggerCommands.class);
    /** How often outcome topics that did not exist are looked for again. */
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(3);

    private final GatewayConfig.Topics topics;
    private final GatewayConfig.Federation federation;
    /** Where outcomes come from: the local scheduler's, and the copies of the other regions' federated outcomes. */
    private final List<String> outcomeTopics = new ArrayList<>();
    private final KafkaSettings kafka;
    private final Tracing tracing;
    private final ObjectMapper json;
    private final Map<UUID, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final Map<String, Instant> usageReported = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    private final SupervisedLoop listener = new SupervisedLoop("trigger-outcome-listener", new Backoff(Duration.ofMillis(200),
            Duration.ofSeconds(5)), this::listen);
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "trigger-command-sender");
        t.setDaemon(true);
        return t;
    });
    private KafkaProducer<String, String> producer;

    public TriggerCommands(GatewayConfig config, ObjectMapper json, KafkaSettings kafka, Tracing tracing) {
        this.topics = config.topics();
        this.federation = config.federation();
        this.json = json;
        outcomeTopics.add(topics.triggerOutcomes());
        if (federation.region().isPresent()) {
            federation.peers().keySet().stream().sorted().forEach(peer -> outcomeTopics.add(peer + "." + federation.outcomesTopic()));
        }
        List<String> reads = new ArrayList<>(outcomeTopics);
        reads.add(topics.registryChanges());
        reads.add(topics.nodes());
        reads.addAll(federation.nodeTopics().orElse(List.of()));
        this.kafka = kafka;
        this.tracing = tracing;
        TopicCatalog.get().checkRoles("trigger-gateway", List.of(topics.triggerCommands(), topics.accessKeyUsage(), federation.commandsTopic()),
                reads);
    }

    void start(@Observes StartupEvent event) {
        producer = kafka.reliableProducer("trigger-gateway", Map.of());
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop(Duration.ofSeconds(5));
        sender.shutdown();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Whether outcomes are being read (readiness); null when they are, else why not. */
    public String failure() {
        return listener.failure();
    }

    /**
     * Publishes the command (after the broker acknowledged it, it will be applied) and waits for its
     * outcome. Fails with {@link OutcomeTimeout} when none arrives within {@code timeout}, and with
     * {@link NotListening} at once when outcomes cannot be read right now.
     */
    public Uni<JsonNode> send(TriggerCommand command, Duration timeout, Context parent) {
        if (listener.failure() != null) {
            return Uni.createFrom().failure(new NotListening());
        }
        // A tenant homed elsewhere: to the federated topic MirrorMaker 2 copies to its home region.
        String topic = command.federated() ? federation.commandsTopic() : topics.triggerCommands();
        Span span = tracing.span(topic + " publish", SpanKind.PRODUCER, parent)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topic)
                .setAttribute("triggerlayer.command_id", command.commandId().toString())
                .setAttribute("triggerlayer.task_id", command.taskId()).setAttribute("triggerlayer.env", command.env())
                .setAttribute("triggerlayer.action", command.action())
                .startSpan();
        CompletableFuture<JsonNode> outcome = waiting.computeIfAbsent(command.commandId(), id -> new CompletableFuture<>());
        String value;
        try {
            value = json.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, command.key(), value);
        tracing.inject(parent.with(span), record.headers());
        // The send runs on a thread of its own: a broker stall blocks it for max.block.ms, never an event loop.
        CompletableFuture<Void> sent = CompletableFuture.supplyAsync(() -> {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            producer.send(record, (md, error) -> {
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
            return ack;
        }, sender).thenCompose(ack -> ack);
        return Uni.createFrom().completionStage(sent)
                .invoke(() -> span.addEvent("sent"))
                .chain(() -> Uni.createFrom().completionStage(outcome))
                .ifNoItem().after(timeout).failWith(() -> new OutcomeTimeout(command.commandId()))
                .invoke(o -> span.setAttribute("triggerlayer.outcome", o.path("outcome").asText()))
                .onFailure().invoke(span::recordException)
                .onTermination().invoke(() -> {
                    waiting.remove(command.commandId(), outcome);
                    span.end();
                });
    }

    /** Tells the registry when a key was used, at most once a minute per key and replica. */
    public void reportUsage(String accessKeyId, Instant now) {
        Instant last = usageReported.get(accessKeyId);
        if (last != null && last.isAfter(now.minusSeconds(60))) {
            return;
        }
        usageReported.put(accessKeyId, now);
        // Usage is telemetry, not accepted state: losing one record only delays lastUsedAt.
        ProducerRecord<String, String> record = new ProducerRecord<>(topics.accessKeyUsage(), accessKeyId,
                "{\"accessKeyId\":\"" + accessKeyId + "\",\"usedAt\":\"" + now + "\"}");
        sender.execute(() -> producer.send(record));
    }

    /**
     * Reads every partition of the outcome topics. A topic that does not exist yet (a region
     * without a scheduler of its own has no local outcomes; a peer's copy appears when MirrorMaker 2
     * first replicates it) is looked for again every few seconds and read from its beginning once
     * it appears; with none of them existing the loop fails and retries.
     */
    private void listen(SupervisedLoop loop) {
        try (KafkaConsumer<String, String> c = kafka.assignedConsumer("trigger-gateway-outcomes")) {
            loop.onStop(c::wakeup);
            List<TopicPartition> assigned = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String topic : outcomeTopics) {
                List<TopicPartition> of = partitions(c, topic, Duration.ofSeconds(30));
                if (of.isEmpty()) {
                    missing.add(topic);
                }
                assigned.addAll(of);
            }
            if (assigned.isEmpty()) {
                throw new IllegalStateException("no outcome topic " + outcomeTopics + " exists yet (the schedulers create them)");
            }
            c.assign(assigned);
            for (TopicPartition p : assigned) {
                Long at = next.get(p);
                if (at == null) {
                    // The first start reads from the end: outcomes of our commands come later.
                    c.seekToEnd(List.of(p));
                    next.put(p, c.position(p));
                } else {
                    c.seek(p, at);
                }
            }
            loop.up();
            long lookAgain = System.nanoTime() + LOOK_AGAIN.toNanos();
            while (loop.running()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    deliver(r);
                    next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
                if (!missing.isEmpty() && System.nanoTime() > lookAgain) {
                    lookAgain = System.nanoTime() + LOOK_AGAIN.toNanos();
                    for (String topic : List.copyOf(missing)) {
                        List<TopicPartition> found = partitions(c, topic, Duration.ofSeconds(2));
                        if (!found.isEmpty()) {
                            missing.remove(topic);
                            assigned.addAll(found);
                            c.assign(assigned);
                            // Everything in a topic that just appeared is newer than this reader.
                            c.seekToBeginning(found);
                            found.forEach(p -> next.put(p, 0L));
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            if (loop.running()) {
                throw e;
            }
        } finally {
            loop.onStop(null);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> c, String topic, Duration timeout) {
        return c.partitionsFor(topic, timeout).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void deliver(ConsumerRecord<String, String> r) {
        try {
            CompletableFuture<JsonNode> f = waiting.get(UUID.fromString(r.key()));
            if (f != null) {
                f.complete(json.readTree(r.value()));
            }
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable trigger outcome %s: %s", r.key(), e.getMessage());
        }
    }

    /** No outcome arrived in time; the command may still be applied. */
    public static class OutcomeTimeout extends RuntimeException {
        public OutcomeTimeout(UUID commandId) {
            super("no outcome for command " + commandId + " yet", null, false, false);
        }
    }

    /** Outcomes cannot be read right now (the broker is unreachable or the topic is missing); nothing was sent. */
    public static class NotListening extends RuntimeException {
        public NotListening() {
            super("trigger outcomes are not being read", null, false, false);
        }
    }
}
