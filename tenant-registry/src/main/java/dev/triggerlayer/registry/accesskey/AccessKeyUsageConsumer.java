package dev.triggerlayer.registry.accesskey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Keeps each AccessKey's last-used time from the usage records gateways publish
 * ({@code {"accessKeyId":…,"usedAt":"…"}}). Never moves the time backwards, so redelivery and
 * out-of-order records are harmless. Usage does not go to the change feed: it is not state a
 * gateway needs, and it would flood the feed.
 */
@ApplicationScoped
public class AccessKeyUsageConsumer {

    private static final Logger LOG = Logger.getLogger(AccessKeyUsageConsumer.class);

    private final Pool pool;
    private final ObjectMapper json;

    public AccessKeyUsageConsumer(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    @Incoming("access-key-usage")
    public Uni<Void> record(String value) {
        JsonNode usage;
        Instant usedAt;
        try {
            usage = json.readTree(value);
            usedAt = Instant.parse(usage.path("usedAt").asText());
        } catch (Exception e) {
            LOG.warnf("ignoring a malformed access-key usage record: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("update access_key set last_used_at = greatest(coalesce(last_used_at, $2), $2) where id = $1")
                .execute(Tuple.of(usage.path("accessKeyId").asText(), usedAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
