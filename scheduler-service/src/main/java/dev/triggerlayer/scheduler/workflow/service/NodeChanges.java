package dev.triggerlayer.scheduler.workflow.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRecord;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.workflow.model.NodeChange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code node-change-created|updated|deleted} records (reference 002, Operation Center node
 * changes), written to the outbox in the transaction of the change, one per node, keyed by the
 * workspace like the other operations on {@code scheduler.instance-operations}.
 */
@ApplicationScoped
public class NodeChanges {

    public static final String CREATED = "node-change-created", UPDATED = "node-change-updated", DELETED = "node-change-deleted";

    /** What a node change compares: every deployed setting (a change of any is an update). */
    private static final String FINGERPRINT = "md5(row(name, type, script, cron, scheduler_type, priority, resource_group, rerun_mode, owner, "
            + "instance_generation, upstream, retries, retry_delay_ms, timeout_seconds, parameters, lost_retries, frozen)::text)";

    private final Outbox outbox;
    private final String topic;

    public NodeChanges(Outbox outbox, SchedulerConfig config) {
        this.outbox = outbox;
        this.topic = config.topics().instanceOperations();
    }

    /** The deployed nodes of a workflow, each with a fingerprint of its settings. */
    public Uni<Map<Long, String>> deployed(SqlConnection c, long workflowId) {
        return c.preparedQuery("select id, " + FINGERPRINT + " as fingerprint from node where workflow_id = $1 and deployed")
                .execute(Tuple.of(workflowId))
                .map(rows -> {
                    Map<Long, String> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getLong("id"), r.getString("fingerprint")));
                    return out;
                });
    }

    /**
     * Records what a deploy changed between two {@link #deployed} readings: nodes new to
     * production are created, nodes gone are deleted, nodes whose settings differ are updated.
     */
    public Uni<Void> deployChanges(UnitOfWork u, Map<Long, String> before, Map<Long, String> after, String operator) {
        List<Long> created = new ArrayList<>();
        List<Long> updated = new ArrayList<>();
        List<Long> deleted = new ArrayList<>();
        after.forEach((id, print) -> {
            if (!before.containsKey(id)) {
                created.add(id);
            } else if (!before.get(id).equals(print)) {
                updated.add(id);
            }
        });
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(deleted::add);
        return record(u, CREATED, created, operator).chain(() -> record(u, UPDATED, updated, operator))
                .chain(() -> record(u, DELETED, deleted, operator));
    }

    /** Stamps the nodes' times and records one {@code operation} record per node, in id order. */
    public Uni<Void> record(UnitOfWork u, String operation, Collection<Long> nodeIds, String operator) {
        if (nodeIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = nodeIds.stream().sorted().toArray(Long[]::new);
        String stamp = operation.equals(CREATED) ? "created_at = $2, modified_at = $2" : "modified_at = $2";
        return u.connection().preparedQuery("update node set " + stamp + " where id = any($1) returning *")
                .execute(Tuple.of(ids, u.now().atOffset(ZoneOffset.UTC)))
                .invoke(rows -> {
                    List<Row> sorted = new ArrayList<>();
                    rows.forEach(sorted::add);
                    sorted.sort(java.util.Comparator.comparing(r -> r.getLong("id")));
                    for (Row r : sorted) {
                        UUID id = UUID.randomUUID();
                        outbox.append(u, topic, String.valueOf(r.getLong("workspace_id")), id, new OperationRecord(id, operation,
                                r.getLong("tenant_id"), r.getLong("workspace_id"), r.getString("env"), operator, u.now().toEpochMilli(),
                                null, null, null, null, null, null, List.of(r.getLong("id")), NodeChange.of(r)));
                    }
                })
                .replaceWithVoid();
    }
}
