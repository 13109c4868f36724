package dev.triggerlayer.scheduler.instance.expiry;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.operation.model.Operation;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRecord;
import dev.triggerlayer.scheduler.instance.operation.service.InstanceOperations;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Deletes task instances whose scheduled time is older than {@code scheduler.expiry.retention}, in
 * batches of one transaction each, with their dependencies, runs and logs, and then DAG instances
 * left without task instances. Running instances are kept until they end. Each batch records, per
 * workspace and node owner, the data of the {@code expired-task-instances-deleted} event.
 * Replicas share the work with {@code FOR UPDATE SKIP LOCKED}.
 */
@ApplicationScoped
public class ExpiryJob {

    private static final Logger LOG = Logger.getLogger(ExpiryJob.class);

    private final Transactions transactions;
    private final InstanceEngine engine;
    private final InstanceOperations operations;
    private final Clock clock;
    private final SchedulerConfig.Expiry config;

    public ExpiryJob(Transactions transactions, InstanceEngine engine, InstanceOperations operations, Clock clock, SchedulerConfig config) {
        this.transactions = transactions;
        this.engine = engine;
        this.operations = operations;
        this.clock = clock;
        this.config = config.expiry();
    }

    @Scheduled(every = "${scheduler.expiry.interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return deleteExpired().invoke(n -> {
                    if (n > 0) {
                        LOG.infof("deleted %d expired task instances", n);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("expiry failed, the next run retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes every expired instance now; returns how many. */
    public Uni<Integer> deleteExpired() {
        Instant now = clock.instant();
        return batch(now).chain(n -> n >= config.batchSize() ? deleteExpired().map(more -> n + more) : Uni.createFrom().item(n));
    }

    private Uni<Integer> batch(Instant now) {
        Instant cutoff = now.minus(config.retention());
        return transactions.run(now, u -> u.connection().preparedQuery("select t.id, t.tenant_id, t.workspace_id, t.env, t.dag_instance_id, "
                        + "coalesce(n.owner, '') as owner from task_instance t left join node n on n.id = t.node_id "
                        + "where t.cyc_time < $1 and t.status <> 4 order by t.cyc_time, t.id limit $2 for update of t skip locked")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), config.batchSize()))
                .chain(rows -> {
                    List<Row> expired = new ArrayList<>();
                    rows.forEach(expired::add);
                    if (expired.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Long[] ids = expired.stream().map(r -> r.getLong("id")).toArray(Long[]::new);
                    Long[] dags = new TreeSet<>(expired.stream().map(r -> r.getLong("dag_instance_id")).toList()).toArray(new Long[0]);
                    return engine.delete(u, ids)
                            .chain(() -> u.connection().preparedQuery("delete from dag_instance d where d.id = any($1) "
                                    + "and not exists (select 1 from task_instance t where t.dag_instance_id = d.id)").execute(Tuple.of((Object) dags)))
                            .invoke(() -> records(expired, now).forEach(r -> operations.save(u, r)))
                            .replaceWith(expired.size());
                }));
    }

    private static List<OperationRecord> records(List<Row> expired, Instant now) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : expired) {
            groups.computeIfAbsent(r.getLong("tenant_id") + "/" + r.getLong("workspace_id") + "/" + r.getString("env") + "/" + r.getString("owner"),
                    k -> new ArrayList<>()).add(r);
        }
        List<OperationRecord> records = new ArrayList<>();
        for (List<Row> group : groups.values()) {
            Row first = group.get(0);
            records.add(new OperationRecord(UUID.randomUUID(), Operation.EXPIRE.eventCode, first.getLong("tenant_id"),
                    first.getLong("workspace_id"), first.getString("env"), "scheduler", now.toEpochMilli(),
                    group.stream().map(r -> r.getLong("id")).sorted().toList(), null, null, first.getString("owner"), null, null, null));
        }
        return records;
    }
}
