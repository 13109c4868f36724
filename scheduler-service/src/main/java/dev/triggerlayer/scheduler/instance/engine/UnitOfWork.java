package dev.triggerlayer.scheduler.instance.engine;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One scheduler transaction: its connection, its business time, and what it leaves to its end.
 * It is passed down to every step instead of being looked up by connection, and it is finished by
 * {@link Transactions} right before the commit, in this order: the features' own deferred writes
 * (say, the trigger command records), the aggregate status of every DAG instance it touched
 * (worked out once, from the final state), and its outbox records in one insert. Nothing here is
 * visible to another transaction before the commit, so deferring changes no outcome; it only
 * saves round trips.
 */
public final class UnitOfWork {

    /** A DAG instance one of whose task instances changed; {@code started}: one of them started; the trace of the last change. */
    record DagTouch(boolean started, Context trace) {
    }

    private final SqlConnection connection;
    private final Instant now;
    private final Set<Long> changed = new HashSet<>();
    private final TreeMap<Long, DagTouch> dags = new TreeMap<>();
    private final Map<Long, List<Row>> downstream = new HashMap<>();
    private final List<Function<UnitOfWork, Uni<Void>>> beforeCommit = new ArrayList<>();
    private final Map<Class<?>, Object> parts = new HashMap<>();
    private Context trace;

    UnitOfWork(SqlConnection connection, Instant now, Context trace) {
        this.connection = connection;
        this.now = now;
        this.trace = trace;
    }

    /** The trace the changes written now belong to (the request, or the trigger command being applied). */
    public Context trace() {
        return trace;
    }

    /** From now on, changes belong to this trace (the next trigger command of a poll, say). */
    public void trace(Context context) {
        this.trace = context;
    }

    public SqlConnection connection() {
        return connection;
    }

    /** The business time of the whole transaction (from the injected clock). */
    public Instant now() {
        return now;
    }

    /**
     * The state a feature keeps for this transaction, made on first use; {@code create} may
     * register a {@link #beforeCommit} step that writes it.
     */
    public <T> T part(Class<T> type, Supplier<T> create) {
        Object existing = parts.get(type);
        if (existing == null) {
            existing = create.get();
            parts.put(type, existing);
        }
        return type.cast(existing);
    }

    /** A write to run at the end, before the DAG refresh and the outbox insert, in registration order. */
    public void beforeCommit(Function<UnitOfWork, Uni<Void>> step) {
        beforeCommit.add(step);
    }

    /** Notes that this transaction changed the task instance, so a row read before is stale. */
    public void changed(long instanceId) {
        changed.add(instanceId);
    }

    public boolean wasChanged(long instanceId) {
        return changed.contains(instanceId);
    }

    /**
     * Records the downstream instances of {@code upstreamIds}, locked by the caller in this
     * transaction (rows carry {@code released_by}, the upstream id, and {@code upstream_count}).
     */
    public void downstreamLocked(Collection<Long> upstreamIds, Iterable<Row> rows) {
        upstreamIds.forEach(id -> downstream.putIfAbsent(id, new ArrayList<>()));
        for (Row r : rows) {
            List<Row> of = downstream.get(r.getLong("released_by"));
            if (of != null) {
                of.add(r);
            }
        }
    }

    /** The locked downstream rows of {@code upstreamId} as read at the start, unless this transaction changed one since. */
    Optional<List<Row>> downstreamOf(long upstreamId) {
        List<Row> rows = downstream.get(upstreamId);
        if (rows == null || rows.stream().anyMatch(r -> changed.contains(r.getLong("id")))) {
            return Optional.empty();
        }
        return Optional.of(rows);
    }

    void touch(long dagInstanceId, boolean started) {
        dags.merge(dagInstanceId, new DagTouch(started, trace), (a, b) -> new DagTouch(a.started() || b.started(), b.trace()));
    }

    Map<Long, DagTouch> touchedDags() {
        return dags;
    }

    List<Function<UnitOfWork, Uni<Void>>> beforeCommitSteps() {
        return beforeCommit;
    }
}
