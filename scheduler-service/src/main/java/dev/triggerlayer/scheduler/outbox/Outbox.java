package dev.triggerlayer.scheduler.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.tracing.Tracing;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The scheduler's outbox: Kafka records written in the transaction of the change they describe,
 * so a record exists exactly when its change committed. Records are kept in the unit of work in
 * append order and inserted by {@link #flush} in one statement before the commit, with ids in
 * that order; the writer holds the lock of the row whose change it records, so records of one
 * key get ids in commit order.
 */
@ApplicationScoped
public class Outbox {

    private record Pending(UUID eventId, String topic, String key, String payload, OffsetDateTime createdAt, String traceParent) {
    }

    /** The records of one unit of work. */
    private static final class Records {
        final List<Pending> pending = new ArrayList<>();
    }

    private final ObjectMapper json;
    private final Tracing tracing;

    public Outbox(ObjectMapper json, Tracing tracing) {
        this.json = json;
        this.tracing = tracing;
    }

    /** @param payload serialised to JSON; null for a tombstone */
    public void append(UnitOfWork u, String topic, String key, UUID eventId, Object payload) {
        String value;
        try {
            value = payload == null ? null : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        u.part(Records.class, Records::new).pending.add(new Pending(eventId, topic, key, value, u.now().atOffset(ZoneOffset.UTC),
                tracing.traceparent(u.trace())));
    }

    /** Inserts the unit of work's records in append order. */
    public Uni<Void> flush(UnitOfWork u) {
        List<Pending> batch = u.part(Records.class, Records::new).pending;
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = batch.size();
        UUID[] ids = new UUID[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] payloads = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        String[] traces = new String[n];
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            ids[i] = p.eventId();
            topics[i] = p.topic();
            keys[i] = p.key();
            payloads[i] = p.payload();
            created[i] = p.createdAt();
            traces[i] = p.traceParent();
        }
        batch.clear();
        // Rows reach the insert in ordinality order, so the id sequence follows the append order.
        return u.connection().preparedQuery("insert into outbox (event_id, topic, record_key, payload, created_at, trace_parent) "
                        + "select e, t, k, p, c, tp from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) "
                        + "with ordinality as x(e, t, k, p, c, tp, n) order by n")
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(topics).addArrayOfString(keys)
                        .addArrayOfString(payloads).addArrayOfOffsetDateTime(created).addArrayOfString(traces))
                .replaceWithVoid();
    }
}
