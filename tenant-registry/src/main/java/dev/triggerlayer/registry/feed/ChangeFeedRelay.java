package dev.triggerlayer.registry.feed;

import dev.triggerlayer.kit.kafka.KafkaSettings;
import dev.triggerlayer.kit.kafka.TopicCatalog;
import dev.triggerlayer.kit.outbox.OutboxRelay;
import dev.triggerlayer.kit.pg.PgChannels;
import dev.triggerlayer.kit.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import dev.triggerlayer.registry.config.RegistryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
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
 * Relays the registry's outbox (the kit's {@link OutboxRelay}) to the compacted change feed and
 * to {@code registry.workspace-events}, each row to the topic it names, all in commit order:
 * rows are marked when published, kept a day for inspection, then deleted.
 */
@ApplicationScoped
public class ChangeFeedRelay {

    private static final long RELAY_LOCK = 0x72656c6179L;

    private final KafkaProducer<String, String> producer;
    private final OutboxRelay relay;

    public ChangeFeedRelay(Pool pool, PgChannels channels, KafkaSettings kafka, Vertx vertx, Clock clock, RegistryConfig config,
                           Tracing tracing, MeterRegistry metrics) {
        RegistryConfig.Feed feed = config.changeFeed();
        TopicCatalog.get().checkRoles("tenant-registry", List.of(feed.topic(), config.workspaceEvents().topic()), List.of());
        this.producer = kafka.reliableProducer("tenant-registry-outbox", Map.of());
        this.relay = new OutboxRelay(new OutboxRelay.Spec("change-feed relay", "outbox", "registry_outbox", RELAY_LOCK,
                Optional.empty(), "change-id", OutboxRelay.Mode.MARK, feed.batchSize(), feed.pollInterval(), true),
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

    /** Relayed rows are kept a day for inspection, then deleted so the table stays small. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetRelayed() {
        return relay.forgetRelayed(Duration.ofDays(1));
    }

    public OutboxRelay relay() {
        return relay;
    }
}
