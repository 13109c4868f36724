package dev.triggerlayer.scheduler.instance.engine;

import dev.triggerlayer.scheduler.outbox.Outbox;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs scheduler work as a {@link UnitOfWork} in one PostgreSQL transaction and finishes it before the commit. */
@ApplicationScoped
public class Transactions {

    private final Pool pool;
    private final Clock clock;
    private final DagStatus dags;
    private final Outbox outbox;

    public Transactions(Pool pool, Clock clock, DagStatus dags, Outbox outbox) {
        this.pool = pool;
        this.clock = clock;
        this.dags = dags;
        this.outbox = outbox;
    }

    /** {@code work} in a new transaction at the clock's current time. */
    public <T> Uni<T> run(Function<UnitOfWork, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> run(clock.instant(), work));
    }

    /** {@code work} in a new transaction at business time {@code now}. */
    public <T> Uni<T> run(Instant now, Function<UnitOfWork, Uni<T>> work) {
        return pool.withTransaction(c -> {
            UnitOfWork u = new UnitOfWork(c, now, Context.current());
            return work.apply(u).call(() -> finish(u));
        });
    }

    /** The deferred writes, in order: the features' own, the DAG refreshes, then the outbox. */
    private Uni<Void> finish(UnitOfWork u) {
        return Multi.createFrom().iterable(List.copyOf(u.beforeCommitSteps()))
                .onItem().transformToUniAndConcatenate(step -> step.apply(u))
                .collect().last()
                .chain(() -> Multi.createFrom().iterable(List.copyOf(u.touchedDags().entrySet()))
                        .onItem().transformToUniAndConcatenate((Map.Entry<Long, UnitOfWork.DagTouch> e) -> {
                            // The DAG's change belongs to the trace of the last task instance change that moved it.
                            u.trace(e.getValue().trace());
                            return dags.refresh(u, e.getKey(), e.getValue().started());
                        })
                        .collect().last())
                .chain(() -> outbox.flush(u));
    }
}
