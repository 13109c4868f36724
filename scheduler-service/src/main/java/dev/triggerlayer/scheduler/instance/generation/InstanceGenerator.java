package dev.triggerlayer.scheduler.instance.generation;

import dev.triggerlayer.scheduler.cron.CronExpression;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Creates the instances of one workflow for one day. Idempotent: instances are unique per node
 * and scheduled time, the DAG instance per workflow, business date and type, and dependencies per
 * pair, so a crash or a second run never duplicates anything.
 *
 * <p>Each node's cron gives wall-clock times of the workflow's zone. A time that does not exist
 * (DST gap) moves forward by the gap; an ambiguous one (DST overlap) takes the earlier instant.
 * The business date is the day before the scheduled day. An instance depends, for each upstream
 * node, on that node's latest instance of the same day scheduled at or before it (or its first of
 * the day when all are later); an upstream node without an instance that day is not waited for.
 */
@ApplicationScoped
public class InstanceGenerator {

    /** DAG type of recurring (scheduled) workflow instances. */
    public static final int DAG_TYPE_SCHEDULED = 0;

    private final InstanceEngine engine;

    public InstanceGenerator(InstanceEngine engine) {
        this.engine = engine;
    }

    private record NodeRow(long id, String name, String type, String schedulerType, int priority, String resourceGroup,
                           String cron, List<Long> upstream, String generation) {
    }

    /**
     * Generates the day's instances of the deployed nodes accepted by {@code nodes}, scheduled at or
     * after {@code notBefore}. Returns how many instances were created.
     */
    public Uni<Integer> generate(UnitOfWork u, long workflowId, LocalDate day, Instant notBefore, Predicate<String> nodes) {
        SqlConnection c = u.connection();
        Instant now = u.now();
        return c.preparedQuery("select * from workflow where id = $1").execute(Tuple.of(workflowId)).chain(wfRows -> {
            Row wf = wfRows.iterator().next();
            ZoneId zone = ZoneId.of(wf.getString("time_zone"));
            return c.preparedQuery("select * from node where workflow_id = $1 and deployed and scheduler_type <> 'MANUAL' order by id")
                    .execute(Tuple.of(workflowId))
                    .chain(nodeRows -> {
                        List<NodeRow> all = new ArrayList<>();
                        nodeRows.forEach(r -> all.add(new NodeRow(r.getLong("id"), r.getString("name"), r.getString("type"),
                                r.getString("scheduler_type"), r.getInteger("priority"), r.getString("resource_group"),
                                r.getString("cron"), List.of(r.getArrayOfLongs("upstream")), r.getString("instance_generation"))));
                        List<NodeRow> chosen = all.stream().filter(n -> nodes.test(n.generation())).toList();
                        List<Long> nodeIds = new ArrayList<>();
                        List<OffsetDateTime> times = new ArrayList<>();
                        for (NodeRow n : chosen) {
                            for (LocalTime t : CronExpression.parse(n.cron()).timesOn(day)) {
                                Instant at = day.atTime(t).atZone(zone).toInstant();
                                if (!at.isBefore(notBefore)) {
                                    nodeIds.add(n.id());
                                    times.add(at.atOffset(ZoneOffset.UTC));
                                }
                            }
                        }
                        if (nodeIds.isEmpty()) {
                            return Uni.createFrom().item(0);
                        }
                        return dagInstance(c, wf, day, now)
                                .chain(dagId -> engine.create(u, dagId, day.minusDays(1), nodeIds, times)
                                        .chain(created -> linkDependencies(c, dagId, all)
                                                .chain(() -> advanceCreated(u, created))
                                                .replaceWith(created.size())));
                    });
        });
    }

    private Uni<Long> dagInstance(SqlConnection c, Row wf, LocalDate day, Instant now) {
        return c.preparedQuery("insert into dag_instance (id, workflow_id, tenant_id, workspace_id, env, name, dag_type, biz_date, status, "
                        + "operator, create_time, modify_time) values (nextval('entity_id_seq'), $1, $2, $3, $4, $5, $6, $7, 1, 'scheduler', $8, $8) "
                        + "on conflict (workflow_id, biz_date, dag_type) do nothing")
                .execute(Tuple.from(new Object[] {wf.getLong("id"), wf.getLong("tenant_id"), wf.getLong("workspace_id"), wf.getString("env"),
                        wf.getString("name") + "_" + day.minusDays(1), DAG_TYPE_SCHEDULED, day.minusDays(1), now.atOffset(ZoneOffset.UTC)}))
                .chain(() -> c.preparedQuery("select id from dag_instance where workflow_id = $1 and biz_date = $2 and dag_type = $3")
                        .execute(Tuple.of(wf.getLong("id"), day.minusDays(1), DAG_TYPE_SCHEDULED)))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /** Links every instance of the DAG to its upstream instances (existing links are kept). */
    private Uni<Void> linkDependencies(SqlConnection c, long dagId, List<NodeRow> nodes) {
        return c.preparedQuery("select id, node_id, cyc_time from task_instance where dag_instance_id = $1").execute(Tuple.of(dagId))
                .chain(rows -> {
                    Map<Long, TreeMap<Instant, Long>> byNode = new HashMap<>();
                    rows.forEach(r -> byNode.computeIfAbsent(r.getLong("node_id"), k -> new TreeMap<>())
                            .put(r.getOffsetDateTime("cyc_time").toInstant(), r.getLong("id")));
                    List<Long> from = new ArrayList<>();
                    List<Long> to = new ArrayList<>();
                    for (NodeRow n : nodes) {
                        for (var own : byNode.getOrDefault(n.id(), new TreeMap<>()).entrySet()) {
                            for (long up : n.upstream()) {
                                TreeMap<Instant, Long> upstream = byNode.get(up);
                                if (upstream == null || upstream.isEmpty()) {
                                    continue;
                                }
                                var match = upstream.floorEntry(own.getKey());
                                from.add(own.getValue());
                                to.add(match != null ? match.getValue() : upstream.firstEntry().getValue());
                            }
                        }
                    }
                    if (from.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return c.preparedQuery("insert into task_instance_dependency (instance_id, upstream_instance_id) "
                                    + "select * from unnest($1::bigint[], $2::bigint[]) on conflict do nothing")
                            .execute(Tuple.of(from.toArray(new Long[0]), to.toArray(new Long[0])))
                            .replaceWithVoid();
                });
    }

    /**
     * Moves the new instances as far as they can go: those without upstream depend only on the
     * workflow's root (always done) and start waiting for their time at once.
     */
    private Uni<Void> advanceCreated(UnitOfWork u, List<long[]> created) {
        List<Long> ids = created.stream().map(x -> x[0]).sorted(Comparator.naturalOrder()).toList();
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> engine.advance(u, id, InstanceChange.OP_SCHEDULER, "scheduler"))
                .collect().asList().replaceWithVoid();
    }
}
