package dev.triggerlayer.registry.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.tracing.Tracing;
import dev.triggerlayer.registry.config.RegistryConfig;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.UUID;

/**
 * Records registry changes into the outbox, inside the caller's transaction, so that a change
 * and its feed record commit or roll back together. The same outbox carries the records of the
 * registry's other topic ({@code registry.workspace-events}, see {@link #event}).
 */
@ApplicationScoped
public class ChangeFeed {

    /** Serialises registry writes so that outbox ids follow commit order (see {@link #lockWrites()}). */
    private static final long WRITE_LOCK = 0x7265676973747279L;

    private final ObjectMapper json;
    private final Clock clock;
    private final Tracing tracing;
    private final String feedTopic;

    public ChangeFeed(ObjectMapper json, Clock clock, Tracing tracing, RegistryConfig config) {
        this.json = json;
        this.clock = clock;
        this.tracing = tracing;
        this.feedTopic = config.changeFeed().topic();
    }

    /**
     * Takes the registry-wide write lock for the current transaction. Writes are operator actions
     * (a few per second at most), so serialising them costs nothing noticeable, and it makes the
     * outbox id order equal the commit order: the relay can then publish in id order and the
     * compacted topic always ends with the entity's committed state.
     */
    public Uni<Void> lockWrites() {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("select 1 from (select pg_advisory_xact_lock(" + WRITE_LOCK + ")) l", Integer.class)
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** The entity now has state {@code data}. */
    public Uni<Void> changed(String kind, Object id, Object data) {
        return append(kind, String.valueOf(id), data);
    }

    /** The entity is gone. */
    public Uni<Void> deleted(String kind, Object id) {
        return append(kind, String.valueOf(id), null);
    }

    /**
     * A record for another topic of the registry's (not compacted state but an event), in the
     * caller's transaction; {@code eventId} goes in the {@code change-id} header and should be in
     * {@code value} too, so that a consumer can de-duplicate.
     */
    public Uni<Void> event(String topic, String key, UUID eventId, Object value) {
        OutboxEntry entry = entry(topic, eventId);
        entry.recordKey = key;
        try {
            entry.payload = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return entry.persist().replaceWithVoid();
    }

    private Uni<Void> append(String kind, String id, Object data) {
        OutboxEntry entry = entry(feedTopic, UUID.randomUUID());
        FeedRecord record = new FeedRecord(kind, id, entry.eventId, entry.createdAt, data);
        entry.recordKey = record.key();
        try {
            entry.payload = data == null ? null : json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return entry.persist().replaceWithVoid();
    }

    private OutboxEntry entry(String topic, UUID eventId) {
        OutboxEntry entry = new OutboxEntry();
        entry.topic = topic;
        entry.eventId = eventId;
        entry.createdAt = clock.instant();
        entry.traceParent = tracing.traceparent(Context.current());
        return entry;
    }
}
