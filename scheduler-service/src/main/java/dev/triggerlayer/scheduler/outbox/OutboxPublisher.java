package dev.triggerlayer.scheduler.outbox;

import dev.triggerlayer.kit.kafka.KafkaSettings;
import dev.triggerlayer.kit.kafka.TopicCatalog;
import dev.triggerlayer.kit.outbox.OutboxRelay;
import dev.triggerlayer.kit.pg.PgChannels;
import dev.triggerlayer.kit.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Relays the scheduler's outbox (status changes, DAG changes, trigger outcomes, the node
 * directory; each row names its topic) with the kit's {@link OutboxRelay}, deleting rows once
 * the broker acknowledged them, each with its id in the {@code event-id} header.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final long RELAY_LOCK = 0x7363686564L;

    private final KafkaProducer<String, String> producer;
    private final OutboxRelay relay;

    public OutboxPublisher(Pool pool, PgChannels channels, KafkaSettings kafka, Vertx vertx, Clock clock, SchedulerConfig config,
                           Tracing tracing, MeterRegistry metrics) {
        SchedulerConfig.Topics t = config.topics();
        TopicCatalog.get().checkRoles("scheduler-service",
                List.of(t.triggerOutcomes(), t.instanceChanges(), t.dagChanges(), t.instanceOperations(), t.nodes(), t.alerts()),
                List.of(t.triggerCommands(), t.registryChanges()));
        SchedulerConfig.Outbox outbox = config.outbox();
        this.producer = kafka.reliableProducer("scheduler-outbox", Map.of());
        this.relay = new OutboxRelay(new OutboxRelay.Spec("scheduler outbox relay", "outbox", "scheduler_outbox", RELAY_LOCK,
                Optional.empty(), "event-id", OutboxRelay.Mode.DELETE, outbox.batchSize(), outbox.pollInterval(), outbox.listen()),
                pool, channels, producer, vertx, clock, tracing);
        relay.measure(metrics, Duration.ofSeconds(5));
    }

    void start(@Observes StartupEvent event) {
        relay.start();
    }

    void stop(@Observes ShutdownEvent event) {
        relay.stop();
        producer.close(Duration.ofSeconds(5));
    }

    public OutboxRelay relay() {
        return relay;
    }
}
