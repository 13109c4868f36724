package dev.triggerlayer.kit.outbox;

import dev.triggerlayer.kit.loop.SingleFlight;
import dev.triggerlayer.kit.pg.PgChannels;
import dev.triggerlayer.kit.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the rows of an outbox table to Kafka in id order, at least once, each with its stable
 * id in a header, and then deletes or marks them. One relay is active at a time across replicas
 * (a transaction-scoped advisory lock), which keeps per-key order. Woken by PostgreSQL NOTIFY on
 * insert, with polling as the fallback. Kafka sends run on a thread of the relay's own, never on
 * an event loop: a stalled broker blocks the relay, not the HTTP server.
 *
 * <p>The table has {@code id} (commit order), {@code event_id}, {@code record_key},
 * {@code payload} (null for a tombstone), {@code created_at}, {@code trace_parent} (the trace
 * context of the change that wrote the row, continued by the relay's span and sent in the
 * record's {@code traceparent} header), and either a {@code topic} column or a fixed topic; in
 * {@link Mode#MARK} also {@code published_at}.
 */
public final class OutboxRelay {

    /** What happens to a row once the broker acknowledged it. */
    public enum Mode {
        /** Deleted at once. */
        DELETE,
        /** Marked with {@code published_at} and deleted later by {@link #forgetRelayed}. */
        MARK
    }

    /**
     * @param name      for logs and thread names
     * @param channel   the NOTIFY channel an insert trigger signals
     * @param lockId    the advisory lock that makes one relay active
     * @param topic     a fixed topic, or empty to read each row's {@code topic} column
     * @param idHeader  the record header carrying the row's {@code event_id}
     */
    public record Spec(String name, String table, String channel, long lockId, Optional<String> topic, String idHeader,
                       Mode mode, int batchSize, Duration pollInterval, boolean listen) {
        public Spec {
            if (batchSize < 1) {
                throw new IllegalArgumentException(name + ": batch size must be at least 1");
            }
        }
    }

    /** How many rows wait and since when (null when none). */
    public record Backlog(long rows, Instant oldest) {
    }

    private final Spec spec;
    private final Tracing tracing;
    private final Pool pool;
    private final PgChannels channels;
    private final KafkaProducer<String, String> producer;
    private final Vertx vertx;
    private final Clock clock;
    private final SingleFlight flight;
    private final ExecutorService sender;
    private final String select;
    private final AtomicLong backlogRows = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private PgSubscriber subscriber;
    private long timer = -1;
    private long backlogTimer = -1;

    public OutboxRelay(Spec spec, Pool pool, PgChannels channels, KafkaProducer<String, String> producer, Vertx vertx, Clock clock,
                       Tracing tracing) {
        this.spec = spec;
        this.tracing = tracing;
        this.pool = pool;
        this.channels = channels;
        this.producer = producer;
        this.vertx = vertx;
        this.clock = clock;
        this.flight = new SingleFlight(spec.name(), () -> relayBatch().map(published -> published >= spec.batchSize()));
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, spec.name() + "-sender");
            t.setDaemon(true);
            return t;
        });
        this.select = "select id, event_id, " + (spec.topic().isPresent() ? "" : "topic, ") + "record_key, payload, trace_parent from " + spec.table()
                + (spec.mode() == Mode.MARK ? " where published_at is null" : "") + " order by id limit $1";
    }

    /**
     * Publishes {@code triggerlayer.outbox.backlog} (rows waiting) and
     * {@code triggerlayer.outbox.oldest.age} (seconds the oldest has waited), tagged with the
     * outbox's channel, refreshed every {@code every}: what to alert on when a relay is stuck.
     */
    public void measure(MeterRegistry registry, Duration every) {
        Tags tags = Tags.of("outbox", spec.channel());
        Gauge.builder("triggerlayer.outbox.backlog", backlogRows, AtomicLong::get).tags(tags)
                .description("outbox rows not yet published").register(registry);
        Gauge.builder("triggerlayer.outbox.oldest.age", oldestAgeMillis, a -> a.get() / 1000.0).tags(tags).baseUnit("seconds")
                .description("how long the oldest unpublished outbox row has waited").register(registry);
        backlogTimer = vertx.setPeriodic(every.toMillis(), id -> backlog().subscribe().with(b -> {
            backlogRows.set(b.rows());
            oldestAgeMillis.set(b.oldest() == null ? 0 : Math.max(0, clock.millis() - b.oldest().toEpochMilli()));
        }, e -> { /* the next refresh retries; the gauges keep their last values */ }));
    }

    public void start() {
        if (spec.listen()) {
            subscriber = channels.listen(spec.channel(), flight::wake);
        }
        timer = vertx.setPeriodic(spec.pollInterval().toMillis(), id -> flight.wake());
        flight.enable();
    }

    public void stop() {
        flight.disable();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (backlogTimer >= 0) {
            vertx.cancelTimer(backlogTimer);
        }
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
        sender.shutdown();
    }

    /** Runs a relay pass now, or right after the one in progress. */
    public void wake() {
        flight.wake();
    }

    /** The failure of the last pass, or null when it succeeded. */
    public Throwable lastFailure() {
        return flight.lastFailure();
    }

    /** Publishes one batch if this replica holds the relay lock; returns how many rows it published. */
    public Uni<Integer> relayBatch() {
        return pool.withTransaction(conn -> conn
                .preparedQuery("select pg_try_advisory_xact_lock($1) as leader").execute(Tuple.of(spec.lockId()))
                .chain(rows -> rows.iterator().next().getBoolean("leader")
                        ? publishPending(conn)
                        : Uni.createFrom().item(0)));
    }

    private Uni<Integer> publishPending(SqlConnection conn) {
        return conn.preparedQuery(select).execute(Tuple.of(spec.batchSize()))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<Outgoing> records = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        records.add(outgoing(row));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.createFrom().completionStage(() -> CompletableFuture.supplyAsync(() -> send(records), sender)
                                    .thenCompose(sent -> CompletableFuture.allOf(sent.toArray(new CompletableFuture[0]))))
                            .chain(() -> done(conn, ids))
                            .replaceWith(ids.size());
                });
    }

    /** A record to send and the span that covers its send (null when the row's change was not traced). */
    private record Outgoing(ProducerRecord<String, String> record, Span span) {
    }

    private Outgoing outgoing(Row row) {
        String topic = spec.topic().orElseGet(() -> row.getString("topic"));
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, row.getString("record_key"), row.getString("payload"));
        String eventId = row.getUUID("event_id").toString();
        record.headers().add(spec.idHeader(), eventId.getBytes(StandardCharsets.UTF_8));
        Context parent = tracing.fromTraceparent(row.getString("trace_parent"));
        if (!Tracing.traced(parent)) {
            return new Outgoing(record, null);
        }
        Span span = tracing.span(topic + " publish", SpanKind.PRODUCER, parent)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topic)
                .setAttribute("triggerlayer.event_id", eventId).setAttribute("triggerlayer.relay", spec.name())
                .startSpan();
        tracing.inject(parent.with(span), record.headers());
        return new Outgoing(record, span);
    }

    /** Sends in id order (the idempotent producer keeps that order per partition). */
    private List<CompletableFuture<Void>> send(List<Outgoing> records) {
        List<CompletableFuture<Void>> sent = new ArrayList<>(records.size());
        for (Outgoing r : records) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            producer.send(r.record(), (metadata, error) -> {
                if (r.span() != null) {
                    if (error != null) {
                        r.span().recordException(error);
                    }
                    r.span().end();
                }
                if (error == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(error);
                }
            });
            sent.add(ack);
        }
        return sent;
    }

    private Uni<Void> done(SqlConnection conn, List<Long> ids) {
        Long[] published = ids.toArray(new Long[0]);
        return (spec.mode() == Mode.DELETE
                ? conn.preparedQuery("delete from " + spec.table() + " where id = any($1)").execute(Tuple.of(published))
                : conn.preparedQuery("update " + spec.table() + " set published_at = $2 where id = any($1)")
                        .execute(Tuple.of(published, clock.instant().atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /** In {@link Mode#MARK}: deletes rows published longer ago than {@code keep}. */
    public Uni<Void> forgetRelayed(Duration keep) {
        return pool.preparedQuery("delete from " + spec.table() + " where published_at < $1")
                .execute(Tuple.of(clock.instant().minus(keep).atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** The rows waiting to be published. */
    public Uni<Backlog> backlog() {
        return pool.query("select count(*) as n, min(created_at) as oldest from " + spec.table()
                        + (spec.mode() == Mode.MARK ? " where published_at is null" : "")).execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Backlog(r.getLong("n"), r.getOffsetDateTime("oldest") == null ? null : r.getOffsetDateTime("oldest").toInstant());
                });
    }
}
