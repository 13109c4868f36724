package dev.triggerlayer.scheduler.extension.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.kafka.CompactedTopicReader;
import dev.triggerlayer.kit.kafka.KafkaSettings;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The tenants' editions, from the registry's change feed (contracts/registry-feed.md, the
 * {@code tenant} records): extensions are an Enterprise Edition feature (reference 004), so a
 * tenant on another edition has no extension that covers anything, and when its edition lapses
 * its checks not yet final pass. A tenant the feed has not named is taken as it was registered:
 * its extensions work (the feed may lag behind an extension's registration, never the reverse).
 */
@ApplicationScoped
public class TenantEditions {

    private static final Logger LOG = Logger.getLogger(TenantEditions.class);

    private final Map<Long, String> editions = new ConcurrentHashMap<>();
    private final CompactedTopicReader reader;
    private final ObjectMapper json;
    private volatile LongConsumer onLapse = tenant -> { };

    public TenantEditions(KafkaSettings kafka, SchedulerConfig config, ObjectMapper json, Clock clock) {
        this.json = json;
        this.reader = new CompactedTopicReader("registry-feed-editions", () -> kafka.assignedConsumer("scheduler-registry-feed"),
                List.of(config.topics().registryChanges()), (topic, key, value) -> apply(key, value), clock);
    }

    void start(@Observes StartupEvent event) {
        reader.start();
    }

    void stop(@Observes ShutdownEvent event) {
        reader.stop();
    }

    /** Called with a tenant id whenever its edition stops being Enterprise (ExtensionChecks passes its checks). */
    public void onLapse(LongConsumer action) {
        this.onLapse = action;
    }

    /** Whether the tenant's extensions work: Enterprise, or not (yet) named by the feed. */
    public boolean extensionsActive(long tenantId) {
        String edition = editions.get(tenantId);
        return edition == null || edition.equals("ENTERPRISE");
    }

    void apply(String key, String value) {
        if (key == null || !key.startsWith("tenant/")) {
            return;
        }
        long tenant;
        try {
            tenant = Long.parseLong(key.substring("tenant/".length()));
        } catch (NumberFormatException e) {
            return;
        }
        String edition = null;
        if (value != null) {
            try {
                JsonNode data = json.readTree(value).path("data");
                edition = data.isObject() ? data.path("edition").asText(null) : null;
            } catch (Exception e) {
                LOG.warnf("unreadable tenant record %s on the registry feed: %s", key, e.getMessage());
                return;
            }
        }
        // A deleted tenant, or one moved off Enterprise, has no working extension any more.
        String now = edition == null ? "NONE" : edition;
        String before = editions.put(tenant, now);
        if (!now.equals("ENTERPRISE") && (before == null || before.equals("ENTERPRISE"))) {
            onLapse.accept(tenant);
        }
    }
}
