package dev.triggerlayer.publisher.delivery.repository;

import dev.triggerlayer.publisher.delivery.model.DeadLetter;
import dev.triggerlayer.publisher.delivery.model.DeadLetterStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Dead letters in the {@code publisher} schema, in plain SQL. */
@ApplicationScoped
public class DeadLetterRepository {

    private static final String COLUMNS = "id, subscription_id, tenant_id, event_id, event_type, record_key, payload, attempts, "
            + "last_error, last_status, status, failed_at, redrive_requested_at, redriven_at";

    private final Pool pool;

    public DeadLetterRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records an exhausted delivery. The same event dead-lettered again for the same
     * subscription (a redelivery, a replay) updates its row instead of adding one.
     */
    public Uni<DeadLetter> upsert(long subscriptionId, long tenantId, String eventId, String eventType, String key,
                                  String payload, int attempts, String lastError, Integer lastStatus, Instant failedAt) {
        return pool.preparedQuery("insert into dead_letter (subscription_id, tenant_id, event_id, event_type, record_key, payload, "
                        + "attempts, last_error, last_status, status, failed_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'DEAD', $10) "
                        + "on conflict (subscription_id, event_id) do update set payload = excluded.payload, "
                        + "attempts = dead_letter.attempts + excluded.attempts, last_error = excluded.last_error, "
                        + "last_status = excluded.last_status, status = 'DEAD', failed_at = excluded.failed_at "
                        + "returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(subscriptionId, tenantId, eventId, eventType, key, payload, attempts,
                        truncate(lastError), lastStatus, time(failedAt))))
                .map(DeadLetterRepository::single);
    }

    public Uni<List<DeadLetter>> list(long subscriptionId, DeadLetterStatus status, int limit) {
        Uni<RowSet<Row>> rows = status == null
                ? pool.preparedQuery("select " + COLUMNS + " from dead_letter where subscription_id = $1 order by id limit $2")
                        .execute(Tuple.of(subscriptionId, limit))
                : pool.preparedQuery("select " + COLUMNS + " from dead_letter where subscription_id = $1 and status = $2 order by id limit $3")
                        .execute(Tuple.of(subscriptionId, status.name(), limit));
        return rows.map(set -> {
            List<DeadLetter> out = new ArrayList<>();
            set.forEach(row -> out.add(of(row)));
            return out;
        });
    }

    /** The dead letter of that subscription, or null. */
    public Uni<DeadLetter> find(long subscriptionId, long id) {
        return pool.preparedQuery("select " + COLUMNS + " from dead_letter where id = $1 and subscription_id = $2")
                .execute(Tuple.of(id, subscriptionId))
                .map(DeadLetterRepository::single);
    }

    /**
     * Marks it REDRIVING unless a re-drive is already under way (one that started before
     * {@code staleBefore} counts as abandoned). Null if not claimed.
     */
    public Uni<DeadLetter> claimForRedrive(long subscriptionId, long id, Instant now, Instant staleBefore) {
        return pool.preparedQuery("update dead_letter set status = 'REDRIVING', redrive_requested_at = $3 "
                        + "where id = $1 and subscription_id = $2 and (status <> 'REDRIVING' or redrive_requested_at < $4) "
                        + "returning " + COLUMNS)
                .execute(Tuple.of(id, subscriptionId, time(now), time(staleBefore)))
                .map(DeadLetterRepository::single);
    }

    public Uni<Void> markRedriven(long id, int attempts, Instant at) {
        return pool.preparedQuery("update dead_letter set status = 'REDRIVEN', attempts = attempts + $2, redriven_at = $3 where id = $1")
                .execute(Tuple.of(id, attempts, time(at)))
                .replaceWithVoid();
    }

    public Uni<Void> markDead(long id, int attempts, String lastError, Integer lastStatus, Instant at) {
        return pool.preparedQuery("update dead_letter set status = 'DEAD', attempts = attempts + $2, last_error = $3, "
                        + "last_status = $4, failed_at = $5 where id = $1")
                .execute(Tuple.from(Arrays.asList(id, attempts, truncate(lastError), lastStatus, time(at))))
                .replaceWithVoid();
    }

    private static DeadLetter single(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? of(it.next()) : null;
    }

    private static DeadLetter of(Row row) {
        return new DeadLetter(row.getLong("id"), row.getLong("subscription_id"), row.getLong("tenant_id"),
                row.getString("event_id"), row.getString("event_type"), row.getString("record_key"),
                row.getString("payload"), row.getInteger("attempts"), row.getString("last_error"),
                row.getInteger("last_status"), DeadLetterStatus.valueOf(row.getString("status")),
                instant(row.getOffsetDateTime("failed_at")), instant(row.getOffsetDateTime("redrive_requested_at")),
                instant(row.getOffsetDateTime("redriven_at")));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
