package dev.triggerlayer.scheduler.outbox;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox rows to their topics in id order, at least once, each with its stable event id
 * (also in the {@code event-id} header), and deletes them once the broker acknowledged them. One relay is active at a time across replicas (a transaction-scoped
 * advisory lock), which keeps per-key order. Woken by PostgreSQL NOTIFY on insert, with polling
 * as the fallback.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long RELAY_LOCK = 0x7363686564L;
    private static final String CHANNEL = "scheduler_outbox";

    private final Pool pool;
    private final Vertx vertx;
    private final SchedulerConfig.Outbox config;
    private final String bootstrapServers;
    private final String reactiveUrl;
    private final String dbUser;
    private final String dbPassword;
    private final SchedulerConfig.Topics topics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private KafkaProducer<String, String> producer;
    private PgSubscriber subscriber;

    public OutboxRelay(Pool pool, Vertx vertx, SchedulerConfig config,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
                       @ConfigProperty(name = "quarkus.datasource.username") String dbUser,
                       @ConfigProperty(name = "quarkus.datasource.password") Optional<String> dbPassword) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.outbox();
        this.bootstrapServers = bootstrapServers;
        this.reactiveUrl = reactiveUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword.orElse("");
        this.topics = config.topics();
    }

    void start(@Observes StartupEvent event) throws InterruptedException {
        ensureTopics();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "scheduler-outbox"),
                new StringSerializer(), new StringSerializer());
        if (!config.listen()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl).setUser(dbUser).setPassword(dbPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(CHANNEL).handler(payload -> wake());
        subscriber.connect().subscribe().with(ok -> wake(), e -> LOG.warnf("LISTEN %s failed, polling only: %s", CHANNEL, e.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Scheduled(every = "${scheduler.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** Runs a relay pass now, or right after the one in progress. */
    public void wake() {
        again.set(true);
        if (producer != null && running.compareAndSet(false, true)) {
            again.set(false);
            relayBatch().subscribe().with(
                    published -> finished(published >= config.batchSize()),
                    failure -> {
                        LOG.warnf("outbox relay pass failed, will retry: %s", failure.getMessage());
                        finished(false);
                    });
        }
    }

    private void finished(boolean moreWaiting) {
        running.set(false);
        if (moreWaiting || again.get()) {
            wake();
        }
    }

    /** Publishes one batch; returns how many rows it published. */
    Uni<Integer> relayBatch() {
        return pool.withTransaction(conn -> conn
                .preparedQuery("select pg_try_advisory_xact_lock($1) as leader").execute(Tuple.of(RELAY_LOCK))
                .chain(rows -> rows.iterator().next().getBoolean("leader")
                        ? publishPending(conn)
                        : Uni.createFrom().item(0)));
    }

    private Uni<Integer> publishPending(SqlConnection conn) {
        return conn.preparedQuery("select id, event_id, topic, record_key, payload from outbox "
                        + "order by id limit $1")
                .execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<Uni<Void>> sends = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        sends.add(send(row));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(sends).andFailFast()
                            .chain(() -> conn.preparedQuery("delete from outbox where id = any($1)")
                                    .execute(Tuple.of(ids.toArray(new Long[0]))))
                            .replaceWith(ids.size());
                });
    }

    private Uni<Void> send(Row row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.getString("topic"), row.getString("record_key"), row.getString("payload"));
        record.headers().add("event-id", row.getUUID("event_id").toString().getBytes(StandardCharsets.UTF_8));
        return Uni.createFrom().emitter(em -> producer.send(record, (metadata, error) -> {
            if (error == null) {
                em.complete(null);
            } else {
                em.fail(error);
            }
        }));
    }

    /**
     * Creates the scheduler's topics before anything uses them (consumers that subscribe to a
     * missing topic only notice it on a later metadata refresh). The node directory is state
     * (latest per node), so it is compacted like the registry feed.
     */
    private void ensureTopics() throws InterruptedException {
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.triggerCommands(), Optional.of(3), Optional.empty()),
                new NewTopic(topics.triggerOutcomes(), Optional.of(3), Optional.empty()),
                new NewTopic(topics.instanceChanges(), Optional.of(3), Optional.empty()),
                new NewTopic(topics.dagChanges(), Optional.of(3), Optional.empty()),
                new NewTopic(topics.instanceOperations(), Optional.of(3), Optional.empty()),
                new NewTopic(topics.nodes(), Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            for (var entry : admin.createTopics(wanted).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create the topic " + entry.getKey(), e.getCause());
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("Kafka did not answer while creating " + entry.getKey(), e);
                }
            }
        }
    }

}
