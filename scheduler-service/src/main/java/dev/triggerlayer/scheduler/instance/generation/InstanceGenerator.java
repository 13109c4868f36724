package dev.triggerlayer.scheduler.instance.generation;

import dev.triggerlayer.scheduler.cron.CronExpression;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.model.Instance;
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
import java.util.Set;
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
    public static final int DAG_TYPE_SCHEDULED = Instance.DAG_TYPE_SCHEDULED;

    private final InstanceEngine engine;

    public InstanceGenerator(InstanceEngine engine) {
        this.engine = engine;
    }

    private record NodeRow(long id, String name, String type, String schedulerType, int priority, String resourceGroup,
                           String cron, List<Long> upstream, String generation) {
    }

    /**
     * One DAG instance of a backfill or a manual run: a business date, the nodes to run and those
     * to dry-run, its name and who asked. {@code oncePerNode}: one instance per node, at its first
     * scheduled time of the day (a manual run), instead of one per scheduled time (a backfill).
     */
    public record RunDay(long runId, int dagType, LocalDate bizDate, String dagName, String operator, Set<Long> nodes,
                         Set<Long> dryRun, boolean ignoreTime, boolean oncePerNode) {
    }

    /** A DAG instance a run made, and its new task instances (none advanced yet). */
    public record RunDag(long dagId, LocalDate bizDate, List<Long> instanceIds) {
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
            return deployedNodes(c, workflowId, "and scheduler_type <> 'MANUAL'").chain(all -> {
                List<InstanceEngine.NewInstance> planned = new ArrayList<>();
                for (NodeRow n : all.stream().filter(n -> nodes.test(n.generation())).toList()) {
                    for (LocalTime t : CronExpression.parse(n.cron()).timesOn(day)) {
                        Instant at = day.atTime(t).atZone(zone).toInstant();
                        if (!at.isBefore(notBefore)) {
                            planned.add(new InstanceEngine.NewInstance(n.id(), at.atOffset(ZoneOffset.UTC), null));
                        }
                    }
                }
                if (planned.isEmpty()) {
                    return Uni.createFrom().item(0);
                }
                return scheduledDag(c, wf, day, now)
                        .chain(dagId -> engine.create(u, dagId, DAG_TYPE_SCHEDULED, day.minusDays(1), planned, false)
                                .chain(created -> linkDependencies(c, dagId, all)
                                        .chain(() -> advance(u, created.stream().map(x -> x[0]).toList()))
                                        .replaceWith(created.size())));
            });
        });
    }

    /**
     * Creates one DAG instance of a backfill or manual run with its instances and their
     * dependencies within it; nothing is advanced, so the caller can link DAGs in series first.
     * A node of {@code dryRun} gets SKIP instances (they succeed when they would start).
     */
    public Uni<RunDag> createRunDag(UnitOfWork u, long workflowId, RunDay day) {
        SqlConnection c = u.connection();
        return c.preparedQuery("select * from workflow where id = $1").execute(Tuple.of(workflowId)).chain(wfRows -> {
            Row wf = wfRows.iterator().next();
            ZoneId zone = ZoneId.of(wf.getString("time_zone"));
            LocalDate scheduledDay = day.bizDate().plusDays(1);
            return deployedNodes(c, workflowId, "").chain(all -> {
                List<InstanceEngine.NewInstance> planned = new ArrayList<>();
                for (NodeRow n : all) {
                    if (!day.nodes().contains(n.id()) && !day.dryRun().contains(n.id())) {
                        continue;
                    }
                    List<LocalTime> times = CronExpression.parse(n.cron()).timesOn(scheduledDay);
                    if (times.isEmpty()) {
                        times = List.of(LocalTime.MIDNIGHT); // a node not due that day still runs once when asked for
                    }
                    for (LocalTime t : day.oncePerNode() ? times.subList(0, 1) : times) {
                        planned.add(new InstanceEngine.NewInstance(n.id(), scheduledDay.atTime(t).atZone(zone).toInstant().atOffset(ZoneOffset.UTC),
                                day.dryRun().contains(n.id()) ? "SKIP" : null));
                    }
                }
                return c.preparedQuery("insert into dag_instance (id, workflow_id, tenant_id, workspace_id, env, name, dag_type, biz_date, status, "
                                + "operator, create_time, modify_time, run_id) values (nextval('entity_id_seq'), $1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9, $10) "
                                + "on conflict (run_id, biz_date) where run_id is not null do nothing")
                        .execute(Tuple.from(new Object[] {workflowId, wf.getLong("tenant_id"), wf.getLong("workspace_id"), wf.getString("env"),
                                day.dagName(), day.dagType(), day.bizDate(), day.operator(), u.now().atOffset(ZoneOffset.UTC), day.runId()}))
                        .chain(() -> c.preparedQuery("select id from dag_instance where run_id = $1 and biz_date = $2")
                                .execute(Tuple.of(day.runId(), day.bizDate())))
                        .map(rows -> rows.iterator().next().getLong("id"))
                        .chain(dagId -> engine.create(u, dagId, day.dagType(), day.bizDate(), planned, day.ignoreTime())
                                .chain(created -> linkDependencies(c, dagId, all)
                                        .replaceWith(new RunDag(dagId, day.bizDate(), created.stream().map(x -> x[0]).toList()))));
            });
        });
    }

    /**
     * Makes {@code next} wait for {@code previous}: each instance of {@code next} without an
     * upstream in its DAG depends on every instance of {@code previous} without a downstream in its
     * DAG (a serial backfill runs one business date after the other).
     */
    public Uni<Void> chain(UnitOfWork u, long previous, long next) {
        return u.connection().preparedQuery("insert into task_instance_dependency (instance_id, upstream_instance_id) "
                        + "select r.id, l.id from task_instance r, task_instance l where r.dag_instance_id = $2 and l.dag_instance_id = $1 "
                        + "and not exists (select 1 from task_instance_dependency d where d.instance_id = r.id) "
                        + "and not exists (select 1 from task_instance_dependency d join task_instance x on x.id = d.instance_id "
                        + "where d.upstream_instance_id = l.id and x.dag_instance_id = $1) on conflict do nothing")
                .execute(Tuple.of(previous, next)).replaceWithVoid();
    }

    private static Uni<List<NodeRow>> deployedNodes(SqlConnection c, long workflowId, String andWhere) {
        return c.preparedQuery("select * from node where workflow_id = $1 and deployed " + andWhere + " order by id")
                .execute(Tuple.of(workflowId))
                .map(nodeRows -> {
                    List<NodeRow> all = new ArrayList<>();
                    nodeRows.forEach(r -> all.add(new NodeRow(r.getLong("id"), r.getString("name"), r.getString("type"),
                            r.getString("scheduler_type"), r.getInteger("priority"), r.getString("resource_group"),
                            r.getString("cron"), List.of(r.getArrayOfLongs("upstream")), r.getString("instance_generation"))));
                    return all;
                });
    }

    private Uni<Long> scheduledDag(SqlConnection c, Row wf, LocalDate day, Instant now) {
        // The operator of a scheduled DAG is the workflow's owner (reference 002: who triggered it).
        return c.preparedQuery("insert into dag_instance (id, workflow_id, tenant_id, workspace_id, env, name, dag_type, biz_date, status, "
                        + "operator, create_time, modify_time) values (nextval('entity_id_seq'), $1, $2, $3, $4, $5, $6, $7, 1, $9, $8, $8) "
                        + "on conflict (workflow_id, biz_date, dag_type) where run_id is null do nothing")
                .execute(Tuple.from(new Object[] {wf.getLong("id"), wf.getLong("tenant_id"), wf.getLong("workspace_id"), wf.getString("env"),
                        wf.getString("name") + "_" + day.minusDays(1), DAG_TYPE_SCHEDULED, day.minusDays(1), now.atOffset(ZoneOffset.UTC),
                        wf.getString("owner")}))
                .chain(() -> c.preparedQuery("select id from dag_instance where workflow_id = $1 and biz_date = $2 and dag_type = $3 and run_id is null")
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
     * Moves new instances as far as they can go: those without upstream depend only on the
     * workflow's root (always done) and start waiting for their time at once.
     */
    public Uni<Void> advance(UnitOfWork u, List<Long> created) {
        List<Long> ids = created.stream().sorted(Comparator.naturalOrder()).toList();
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> engine.advance(u, id, InstanceChange.OP_SCHEDULER, "scheduler"))
                .collect().asList().replaceWithVoid();
    }
}
