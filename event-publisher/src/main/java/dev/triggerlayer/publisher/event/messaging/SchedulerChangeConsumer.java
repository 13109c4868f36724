package dev.triggerlayer.publisher.event.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.loop.Backoff;
import dev.triggerlayer.kit.loop.SupervisedLoop;
import dev.triggerlayer.kit.tracing.Tracing;
import dev.triggerlayer.publisher.bus.messaging.KafkaClients;
import dev.triggerlayer.publisher.bus.messaging.TopicProvisioner;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.publisher.directory.service.RegistryFeedReader;
import dev.triggerlayer.publisher.event.model.BusRecord;
import dev.triggerlayer.publisher.event.model.SchedulerRecord;
import dev.triggerlayer.publisher.event.service.ChangeMapper;
import dev.triggerlayer.publisher.event.service.CloudEventFactory;
import dev.triggerlayer.publisher.event.service.DagStatusMapper;
import dev.triggerlayer.publisher.event.service.EventAssembler;
import dev.triggerlayer.publisher.event.service.InstanceOperationMapper;
import dev.triggerlayer.publisher.event.service.InstanceStatusMapper;
import dev.triggerlayer.publisher.event.service.ProjectDeletedMapper;
import dev.triggerlayer.publisher.event.service.MonitorAlertMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns the scheduler's change records (and the registry's workspace events, by the same topic →
 * mapper table) into events on the tenants' buses, on a
 * {@link SupervisedLoop} (restarted with backoff after a failure, readiness DOWN meanwhile). A poll's records are sent in their partition order (the idempotent producer keeps the
 * order of one key), and the offsets are committed only after the broker acknowledged every
 * send: a crash republishes the uncommitted tail, with the same event ids, and never skips a
 * change. A record that cannot become a valid event is logged and skipped, so one bad record
 * cannot stop every tenant's events.
 */
@ApplicationScoped
public class SchedulerChangeConsumer {

    private static final Logger LOG = Logger.getLogger(SchedulerChangeConsumer.class);

    private final KafkaClients kafka;
    private final TopicProvisioner topics;
    private final EventAssembler assembler;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final RegistryFeedReader feed;
    /** Scheduler topic → how its records become events. */
    private final Map<String, ChangeMapper<?>> mappers = new LinkedHashMap<>();
    private final Tracing tracing;
    private final SupervisedLoop loop = new SupervisedLoop("scheduler-change-consumer", new Backoff(Duration.ofMillis(500),
            Duration.ofSeconds(10)), this::run);

    public SchedulerChangeConsumer(KafkaClients kafka, TopicProvisioner topics, EventAssembler assembler,
                                   ObjectMapper json, PublisherConfig config, MeterRegistry metrics, RegistryFeedReader feed,
                                   Tracing tracing) {
        this.tracing = tracing;
        this.kafka = kafka;
        this.topics = topics;
        this.assembler = assembler;
        this.json = json;
        this.metrics = metrics;
        this.feed = feed;
        mappers.put(config.topics().instanceChanges(), new InstanceStatusMapper(json));
        mappers.put(config.topics().dagChanges(), new DagStatusMapper(json));
        mappers.put(config.topics().instanceOperations(), new InstanceOperationMapper(json));
        // Not the scheduler's, but consumed the same way: the registry's deleted workspaces (project-deleted).
        mappers.put(config.topics().workspaceEvents(), new ProjectDeletedMapper(json));
        mappers.put(config.topics().alerts(), new MonitorAlertMapper(json));
    }

    public void start() {
        loop.start();
    }

    public void stop() {
        loop.stop(Duration.ofSeconds(15));
    }

    private void run(SupervisedLoop loop) throws Exception {
        if (!feed.initialLoad().toCompletableFuture().isDone()) {
            // Events name their tenant's bus and workspace: wait for the directory before the first one.
            loop.down("waiting for the registry directory");
            try {
                feed.initialLoad().toCompletableFuture().get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                return; // runs again at once
            }
        }
        try (KafkaConsumer<String, String> c = kafka.schedulerConsumer()) {
            loop.onStop(c::wakeup);
            // A new consumer resumes at the committed offsets: a failed batch is published again.
            c.subscribe(List.copyOf(mappers.keySet()));
            loop.up();
            while (loop.running()) {
                ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    publish(c, records);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (loop.running()) {
                throw e;
            }
        } finally {
            loop.onStop(null);
        }
    }

    private void publish(KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        try {
            for (ConsumerRecord<String, String> r : records) {
                Context change = traced(r, spans);
                for (BusRecord out : events(r)) {
                    topics.ensureTenantTopic(out.topic());
                    ProducerRecord<String, String> record = new ProducerRecord<>(out.topic(), out.key(), out.value());
                    record.headers().add("event-id", out.eventId().getBytes(StandardCharsets.UTF_8));
                    record.headers().add("event-type", out.type().getBytes(StandardCharsets.UTF_8));
                    record.headers().add("content-type", CloudEventFactory.STRUCTURED_MEDIA_TYPE.getBytes(StandardCharsets.UTF_8));
                    tracing.inject(change, record.headers());
                    sends.add(kafka.producer().send(record));
                }
                next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            if (!sends.isEmpty()) {
                // The whole poll is waited for below: sending now rather than after linger.ms saves that much latency.
                kafka.producer().flush();
            }
            for (Future<RecordMetadata> send : sends) {
                try {
                    send.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a bus rejected an event: " + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
            metrics.counter("publisher.events.published").increment(sends.size());
            c.commitSync(next);
        } catch (RuntimeException e) {
            spans.forEach(s -> s.recordException(e));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    /** The context the record's events belong to: a span of their publishing, child of the change's trace (if it has one). */
    private Context traced(ConsumerRecord<String, String> r, List<Span> spans) {
        Context parent = tracing.extract(r.headers());
        if (!Tracing.traced(parent)) {
            return parent;
        }
        Span span = tracing.span(r.topic() + " process", SpanKind.CONSUMER, parent)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", r.topic())
                .setAttribute("triggerlayer.record_key", r.key() == null ? "" : r.key())
                .startSpan();
        spans.add(span);
        return parent.with(span);
    }

    private List<BusRecord> events(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            return List.of();
        }
        try {
            return events(mappers.get(r.topic()), r);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            metrics.counter("publisher.changes.dropped", "reason", "invalid-record").increment();
            LOG.errorf("skipping invalid record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            return List.of();
        }
    }

    private <R extends SchedulerRecord> List<BusRecord> events(ChangeMapper<R> mapper, ConsumerRecord<String, String> r)
            throws JsonProcessingException {
        R record = json.readValue(r.value(), mapper.recordType());
        return assembler.assemble(mapper, record, () -> fallbackId(r), r.timestamp());
    }

    /**
     * Records always carry a changeId; should one not, the {@code event-id} header (the same UUID)
     * or else a name-based UUID of the record keeps the event id stable across redelivery.
     */
    private static String fallbackId(ConsumerRecord<String, String> r) {
        Header header = r.headers().lastHeader("event-id");
        if (header != null && header.value() != null && header.value().length > 0) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        return UUID.nameUUIDFromBytes((r.topic() + "\n" + r.key() + "\n" + r.value()).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
