package dev.triggerlayer.scheduler.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Appends Kafka records to the outbox inside the caller's transaction: the record exists exactly
 * when the state change it describes committed. The caller must hold the lock of the row whose
 * change it records (it updated that row first), so records of one key get ids in commit order.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;

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
        return conn.preparedQuery("insert into outbox (event_id, topic, record_key, payload, created_at) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(eventId, topic, key, value, now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
