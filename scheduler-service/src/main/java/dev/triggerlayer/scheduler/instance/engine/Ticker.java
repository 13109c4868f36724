package dev.triggerlayer.scheduler.instance.engine;

import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.triggerlayer.scheduler.instance.engine.InstanceEngine.utc;

/**
 * Time-driven progress: instances whose scheduled time arrived, and retained triggers that can now
 * fire (a slot freed, a node unfrozen) or that outlived their retention. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so several replicas share the work without touching one
 * instance twice. It reads the injected clock, so tests move time and call {@link #tick()}.
 */
@ApplicationScoped
public class Ticker {

    private static final Logger LOG = Logger.getLogger(Ticker.class);
    private static final int BATCH = 200;

    private final Transactions transactions;
    private final InstanceEngine engine;
    private final Clock clock;

    public Ticker(Transactions transactions, InstanceEngine engine, Clock clock) {
        this.transactions = transactions;
        this.engine = engine;
        this.clock = clock;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return tick().onFailure().invoke(e -> LOG.warnf("tick failed, next one retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Processes everything that is due now; returns how many instances it looked at. */
    public Uni<Integer> tick() {
        Instant now = clock.instant();
        return dueBatch(now).chain(due -> retainedBatch(now).map(retained -> due + retained))
                .chain(n -> n >= BATCH ? tick().map(more -> n + more) : Uni.createFrom().item(n));
    }

    private Uni<Integer> dueBatch(Instant now) {
        return transactions.run(now, u -> u.connection().preparedQuery("select id from task_instance where status = 2 and not wait_trigger "
                        + "and cyc_time <= $1 order by cyc_time, id limit " + BATCH + " for update skip locked")
                .execute(Tuple.of(utc(now)))
                .chain(rows -> each(ids(rows), id -> engine.advance(u, id, InstanceChange.OP_SCHEDULER, "scheduler"))));
    }

    private Uni<Integer> retainedBatch(Instant now) {
        return transactions.run(now, u -> u.connection().preparedQuery("select * from task_instance where trigger_retained_at is not null "
                        + "and triggered_at is null and (trigger_expires_at <= $1 or (status = 2 and wait_trigger)) "
                        + "order by id limit " + BATCH + " for update skip locked")
                .execute(Tuple.of(utc(now)))
                .chain(rows -> {
                    List<Instance> retained = new ArrayList<>();
                    rows.forEach(r -> retained.add(Instance.of(r)));
                    return Multi.createFrom().iterable(retained)
                            .onItem().transformToUniAndConcatenate(i -> engine.fireRetainedIfPossible(u, i))
                            .collect().asList()
                            .map(done -> retained.size());
                }));
    }

    private static List<Long> ids(Iterable<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getLong("id")));
        return ids;
    }

    private static Uni<Integer> each(List<Long> ids, java.util.function.Function<Long, Uni<Void>> action) {
        return Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(id -> action.apply(id))
                .collect().asList().map(done -> ids.size());
    }
}
