package dev.triggerlayer.kit.metrics;

import dev.triggerlayer.kit.kafka.KafkaSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code triggerlayer.kafka.consumer.lag}: records the service's consumer groups have not
 * committed yet (end offset minus committed offset, summed over partitions), read from the broker
 * every {@code triggerlayer.metrics.lag-interval}, the same for every client, hand-made or not.
 * Groups are named in {@code triggerlayer.metrics.consumer-groups}; groups whose names start
 * with a prefix of {@code triggerlayer.metrics.consumer-group-prefixes} (one per subscription,
 * say) are summed under the prefix, so the number of time series stays fixed.
 */
@ApplicationScoped
public class ConsumerLag {

    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    private final KafkaSettings kafka;
    private final MeterRegistry registry;
    private final List<String> groups;
    private final List<String> prefixes;
    private final Duration interval;
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public ConsumerLag(KafkaSettings kafka, MeterRegistry registry,
                       @ConfigProperty(name = "triggerlayer.metrics.consumer-groups") Optional<List<String>> groups,
                       @ConfigProperty(name = "triggerlayer.metrics.consumer-group-prefixes") Optional<List<String>> prefixes,
                       @ConfigProperty(name = "triggerlayer.metrics.lag-interval", defaultValue = "15s") Duration interval) {
        this.kafka = kafka;
        this.registry = registry;
        this.groups = groups.orElse(List.of());
        this.prefixes = prefixes.orElse(List.of());
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        if (groups.isEmpty() && prefixes.isEmpty()) {
            return;
        }
        groups.forEach(this::gauge);
        prefixes.forEach(p -> gauge(p + "*"));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void gauge(String group) {
        AtomicLong lag = lags.computeIfAbsent(group, g -> new AtomicLong());
        Gauge.builder("triggerlayer.kafka.consumer.lag", lag, AtomicLong::get).tag("group", group)
                .description("records not yet committed by the consumer group").register(registry);
    }

    /** Blocking broker calls, on the lag thread only. */
    private void refresh() {
        try (Admin admin = kafka.admin()) {
            for (String group : groups) {
                lags.get(group).set(lag(admin, List.of(group)));
            }
            if (!prefixes.isEmpty()) {
                Collection<ConsumerGroupListing> all = admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS);
                for (String prefix : prefixes) {
                    lags.get(prefix + "*").set(lag(admin, all.stream().map(ConsumerGroupListing::groupId).filter(g -> g.startsWith(prefix)).toList()));
                }
            }
        } catch (Exception e) {
            LOG.debugf("consumer lag not refreshed: %s", e.toString());
        }
    }

    private static long lag(Admin admin, List<String> groupIds) throws Exception {
        long total = 0;
        for (String group : groupIds) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            if (committed.isEmpty()) {
                continue;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            for (var e : committed.entrySet()) {
                if (e.getValue() != null && end.containsKey(e.getKey())) {
                    total += Math.max(0, end.get(e.getKey()).offset() - e.getValue().offset());
                }
            }
        }
        return total;
    }
}
