package dev.triggerlayer.scheduler.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Appends Kafka records to the outbox inside the caller's transaction: the record exists exactly
 * when the state change it describes committed. The caller must hold the lock of the row whose
 * change it records (it updated that row first), so records of one key get ids in commit order.
 *
 * <p>A batch transaction may {@linkplain #defer defer} its records: they are kept in append order
 * and inserted by {@link #flush} in one statement before the commit, with ids in that same order.
 */
@ApplicationScoped
public class Outbox {

    private record Pending(UUID eventId, String topic, String key, String payload, OffsetDateTime createdAt) {
    }

    private final ObjectMapper json;
    private final Map<SqlConnection, List<Pending>> deferred = Collections.synchronizedMap(new IdentityHashMap<>());

    public Outbox(ObjectMapper json) {
        this.json = json;
    }

    /** @param payload serialised to JSON; null for a tombstone */
    public Uni<Void> append(SqlConnection conn, String topic, String key, UUID eventId, Object payload, Instant now) {
        String value;
        try {
            value = payload == null ? null : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        List<Pending> batch = deferred.get(conn);
        if (batch != null) {
            batch.add(new Pending(eventId, topic, key, value, now.atOffset(ZoneOffset.UTC)));
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("insert into outbox (event_id, topic, record_key, payload, created_at) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(eventId, topic, key, value, now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** From now on, records appended on {@code conn} wait for {@link #flush} (or {@link #discard}). */
    public void defer(SqlConnection conn) {
        deferred.put(conn, new ArrayList<>());
    }

    /** Inserts the deferred records of {@code conn} in append order and stops deferring. */
    public Uni<Void> flush(SqlConnection conn) {
        List<Pending> batch = deferred.remove(conn);
        if (batch == null || batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = batch.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] payloads = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            ids[i] = p.eventId();
            topics[i] = p.topic();
            keys[i] = p.key();
            payloads[i] = p.payload();
            created[i] = p.createdAt();
        }
        // Rows reach the insert in ordinality order, so the id sequence follows the append order.
        return conn.preparedQuery("insert into outbox (event_id, topic, record_key, payload, created_at) "
                        + "select e, t, k, p, c from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) "
                        + "with ordinality as x(e, t, k, p, c, n) order by n")
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(topics).addArrayOfString(keys)
                        .addArrayOfString(payloads).addArrayOfOffsetDateTime(created))
                .replaceWithVoid();
    }

    /** Forgets the deferred records of a transaction that failed. */
    public void discard(SqlConnection conn) {
        deferred.remove(conn);
    }
}
