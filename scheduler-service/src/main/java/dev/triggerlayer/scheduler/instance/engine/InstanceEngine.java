package dev.triggerlayer.scheduler.instance.engine;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.workflow.model.SchedulerType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.FAILED;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.NOT_RUN;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.SUCCEEDED;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.WAIT_TIME;

/**
 * The task instance state machine, and the only code that writes {@code task_instance}. Every
 * method runs inside the caller's {@link UnitOfWork}: it locks the instance row, changes it, and
 * appends the status change to the outbox, so state and events commit together; the DAG's
 * aggregate status is refreshed when the unit of work finishes.
 *
 * <pre>
 *   1 NotRun ──upstream done, before cycTime──▶ 2 WaitTime ──cycTime──▶ start
 *   start: PAUSE → 5 · dry-run types → 6 · HTTP trigger → 2 WaitTrigger ──trigger──▶ 6 · others → 3 WaitResource
 * </pre>
 * Succeeding releases the downstream instances in the same transaction.
 */
@ApplicationScoped
public class InstanceEngine {

    private static final String RETURNING = " returning *";

    private final Outbox outbox;
    private final RetainedTriggers retainedTriggers;
    private final SchedulerConfig.Topics topics;

    public InstanceEngine(Outbox outbox, RetainedTriggers retainedTriggers, SchedulerConfig config) {
        this.outbox = outbox;
        this.retainedTriggers = retainedTriggers;
        this.topics = config.topics();
    }

    /** The instance, locked for this transaction; null when it does not exist. */
    public Uni<Instance> lock(UnitOfWork u, long id) {
        return u.connection().preparedQuery("select * from task_instance where id = $1 for update").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : Instance.of(rows.iterator().next()));
    }

    /** Moves the instance forward as far as its upstream instances and its scheduled time allow. */
    public Uni<Void> advance(UnitOfWork u, long id, int opCode, String operator) {
        return lock(u, id).chain(i -> advanceLocked(u, i, opCode, operator, false));
    }

    /** Whether {@link #advance} could change this instance (a cheap test before a second lock). */
    public static boolean mayAdvance(Instance i) {
        return i != null && !i.frozen() && (waitingForUpstreamOrTime(i) || (i.status() == WAIT_TIME && i.waitTrigger() && i.hasRetainedTrigger()));
    }

    private static boolean waitingForUpstreamOrTime(Instance i) {
        return i.status() == NOT_RUN || (i.status() == WAIT_TIME && !i.waitTrigger());
    }

    /**
     * {@link #advance} for an instance this transaction already locked.
     *
     * @param upstreamKnownDone the caller knows every upstream instance succeeded (its only
     *                          upstream just did, in this transaction), so it need not be asked
     */
    public Uni<Void> advanceLocked(UnitOfWork u, Instance i, int opCode, String operator, boolean upstreamKnownDone) {
        if (!mayAdvance(i)) {
            return Uni.createFrom().voidItem();
        }
        if (!waitingForUpstreamOrTime(i)) {
            return fireRetainedIfPossible(u, i);
        }
        return (upstreamKnownDone ? Uni.createFrom().item(true) : upstreamDone(u, i.id())).chain(done -> {
            if (!done) {
                return Uni.createFrom().voidItem();
            }
            if (!i.ignoreTime() && u.now().isBefore(i.cycTime())) {
                return i.status() == NOT_RUN
                        ? update(u, i, "status = 2, begin_wait_time_time = coalesce(begin_wait_time_time, $2)", opCode, operator).replaceWithVoid()
                        : Uni.createFrom().voidItem();
            }
            return start(u, i, opCode, operator);
        });
    }

    /** Upstream and time are done: what happens depends on the scheduler type and the node type. */
    private Uni<Void> start(UnitOfWork u, Instance i, int opCode, String operator) {
        SchedulerType type = SchedulerType.valueOf(i.schedulerType());
        if (type.failsAtStart()) {
            return finish(u, i, FAILED, opCode, operator);
        }
        if (type.succeedsAtStart()) {
            return finish(u, i, SUCCEEDED, opCode, operator);
        }
        if (i.isHttpTrigger() && !i.isScheduled()) {
            // Backfill and manual-run instances cannot be triggered (reference 001): they pass.
            return finish(u, i, SUCCEEDED, opCode, operator);
        }
        if (i.isHttpTrigger()) {
            return update(u, i, "status = 2, wait_trigger = true, begin_wait_time_time = coalesce(begin_wait_time_time, $2)", opCode, operator)
                    .chain(waiting -> waiting.hasRetainedTrigger() ? fireRetainedIfPossible(u, waiting) : Uni.createFrom().voidItem());
        }
        return update(u, i, "status = 3, begin_wait_res_time = $2", opCode, operator).replaceWithVoid();
    }

    /** Ends the instance with {@code status}; a success releases its downstream instances. */
    public Uni<Void> finish(UnitOfWork u, Instance i, int status, int opCode, String operator) {
        Uni<Instance> finished = update(u, i, "status = " + status + ", wait_trigger = false, finish_time = $2, run_owner = null, "
                + "lease_until = null, not_before = null", opCode, operator);
        return status == SUCCEEDED ? succeeded(u, finished, i.id()).replaceWithVoid() : finished.replaceWithVoid();
    }

    /** A waiting instance got a slot: it runs now as attempt {@code attempt + 1}, leased to {@code owner}. */
    public Uni<Instance> claim(UnitOfWork u, Instance i, String owner, Instant leaseUntil) {
        return update(u, i, "status = 4, begin_running_time = $2, attempt = attempt + 1, run_owner = $3, lease_until = $4, not_before = null",
                InstanceChange.OP_SCHEDULER, "scheduler", owner, utc(leaseUntil));
    }

    /** A failed run with retries left: the instance waits for a slot again, not before {@code notBefore}. */
    public Uni<Instance> requeue(UnitOfWork u, Instance i, Instant notBefore) {
        return update(u, i, "status = 3, begin_wait_res_time = $2, not_before = $3, retries_used = retries_used + 1, "
                + "run_owner = null, lease_until = null", InstanceChange.OP_SCHEDULER, "scheduler", utc(notBefore));
    }

    /** A run lost with its replica, retried on the lost-run allowance: waits for a slot again at once. */
    public Uni<Instance> requeueLost(UnitOfWork u, Instance i) {
        return update(u, i, "status = 3, begin_wait_res_time = $2, not_before = null, lost_retries_used = lost_retries_used + 1, "
                + "run_owner = null, lease_until = null", InstanceChange.OP_SCHEDULER, "scheduler");
    }

    /** A claimed run whose process never started: dispatched again, counting against nothing. */
    public Uni<Instance> redispatch(UnitOfWork u, Instance i) {
        return update(u, i, "status = 3, begin_wait_res_time = $2, not_before = null, run_owner = null, lease_until = null",
                InstanceChange.OP_SCHEDULER, "scheduler");
    }

    /**
     * An operator rerun: back to not run, with its run history kept (attempts keep counting) but
     * its automatic retries and its trigger forgotten, so an HTTP trigger node needs a new trigger.
     */
    public Uni<Instance> reset(UnitOfWork u, Instance i, String operator) {
        return update(u, i, "status = 1, wait_trigger = false, begin_wait_time_time = null, begin_wait_res_time = null, "
                + "begin_running_time = null, finish_time = null, retries_used = 0, lost_retries_used = 0, not_before = null, run_owner = null, "
                + "lease_until = null, trigger_command_id = null, trigger_retained_at = null, trigger_expires_at = null, "
                + "trigger_dropped_at = null, triggered_at = null", InstanceChange.OP_OPERATOR, operator);
    }

    /** An HTTP trigger node instance is triggered: it succeeds now. */
    public Uni<Instance> fire(UnitOfWork u, Instance i, UUID commandId) {
        Uni<Instance> fired = update(u, i, "status = 6, wait_trigger = false, finish_time = $2, triggered_at = $2, "
                        + "trigger_command_id = coalesce(trigger_command_id, $3)", InstanceChange.OP_TRIGGER, "trigger", commandId)
                // A retained trigger's command was recorded when it was retained; a fresh one is recorded by its caller.
                .call(done -> i.triggerCommandId() == null ? Uni.createFrom().voidItem()
                        : retainedTriggers.redecide(u, done.triggerCommandId(), "TRIGGERED", "Triggered", "the instance was triggered"));
        return succeeded(u, fired, i.id());
    }

    /** Keeps an early trigger on the instance until {@code until}; it fires once nothing blocks it (not a status change). */
    public Uni<Void> retain(UnitOfWork u, Instance i, UUID commandId, Instant until) {
        u.changed(i.id());
        return u.connection().preparedQuery("update task_instance set trigger_command_id = $2, trigger_retained_at = $3, trigger_expires_at = $4, "
                        + "trigger_dropped_at = null, modify_time = $3 where id = $1")
                .execute(Tuple.of(i.id(), commandId, utc(u.now()), utc(until)))
                .replaceWithVoid();
    }

    /** A killed or manually succeeded instance forgets an early trigger it was holding. */
    public Uni<Void> forgetRetainedTrigger(UnitOfWork u, Instance i) {
        if (!i.hasRetainedTrigger()) {
            return Uni.createFrom().voidItem();
        }
        u.changed(i.id());
        return u.connection().preparedQuery("update task_instance set trigger_retained_at = null, trigger_expires_at = null where id = $1")
                .execute(Tuple.of(i.id())).replaceWithVoid();
    }

    /** Freezes or unfreezes the instance (not a status change: a frozen instance just does not move). */
    public Uni<Void> setFrozen(UnitOfWork u, Instance i, boolean frozen) {
        u.changed(i.id());
        return u.connection().preparedQuery("update task_instance set frozen = $2, modify_time = $3 where id = $1")
                .execute(Tuple.of(i.id(), frozen, utc(u.now())))
                .replaceWithVoid();
    }

    /** An instance to create: its node, scheduled time, and a scheduler type replacing the node's (a backfill's dry runs), or null. */
    public record NewInstance(long nodeId, OffsetDateTime cycTime, String schedulerType) {
    }

    /**
     * Creates the instances of nodes at their scheduled times in a DAG instance (of type
     * {@code dagType}, business date {@code bizDate}), except those that exist; returns (id, node
     * id) of the created ones. {@code ignoreTime}: they start once their upstream is done, not
     * waiting for their scheduled time.
     */
    public Uni<List<long[]>> create(UnitOfWork u, long dagId, int dagType, LocalDate bizDate, List<NewInstance> instances, boolean ignoreTime) {
        String sql = "insert into task_instance (id, dag_instance_id, node_id, workflow_id, tenant_id, workspace_id, env, node_type, "
                + "scheduler_type, priority, resource_group, cyc_time, biz_date, status, create_time, modify_time, dag_type, ignore_time) "
                + "select nextval('entity_id_seq'), $1, n.id, n.workflow_id, n.tenant_id, n.workspace_id, n.env, n.type, "
                + "coalesce(x.scheduler_type, n.scheduler_type), n.priority, n.resource_group, x.cyc_time, $2, 1, $3, $3, $7, $8 "
                + "from unnest($4::bigint[], $5::timestamptz[], $6::text[]) as x(node_id, cyc_time, scheduler_type) join node n on n.id = x.node_id "
                + "on conflict (node_id, cyc_time, dag_instance_id) do nothing returning id, node_id";
        return u.connection().preparedQuery(sql)
                .execute(Tuple.from(new Object[] {dagId, bizDate, utc(u.now()), instances.stream().map(NewInstance::nodeId).toArray(Long[]::new),
                        instances.stream().map(NewInstance::cycTime).toArray(OffsetDateTime[]::new),
                        instances.stream().map(NewInstance::schedulerType).toArray(String[]::new), dagType, ignoreTime}))
                .map(rows -> {
                    List<long[]> created = new ArrayList<>();
                    rows.forEach(r -> created.add(new long[] {r.getLong("id"), r.getLong("node_id")}));
                    return created;
                });
    }

    /** Deletes expired instances (their runs, logs and dependency rows go with them). */
    public Uni<Void> delete(UnitOfWork u, Long[] ids) {
        ids = ids.clone();
        for (Long id : ids) {
            u.changed(id);
        }
        return u.connection().preparedQuery("delete from task_instance where id = any($1)").execute(Tuple.of((Object) ids)).replaceWithVoid();
    }

    /** Renews the leases of this replica's runs among {@code ids}; returns (id, attempt) of those it still owns. */
    public static Uni<List<long[]>> renewLeases(SqlClient db, String owner, Long[] ids, Instant until) {
        return db.preparedQuery("update task_instance set lease_until = $3 where id = any($1) and run_owner = $2 and status = 4 returning id, attempt")
                .execute(Tuple.of(ids, owner, utc(until)))
                .map(rows -> {
                    List<long[]> owned = new ArrayList<>();
                    rows.forEach(r -> owned.add(new long[] {r.getLong("id"), r.getInteger("attempt")}));
                    return owned;
                });
    }

    /** Ends the leases of {@code owner}'s runs at {@code at}: a restarted replica gives up what its previous life ran. */
    public static Uni<Void> expireLeases(SqlClient db, String owner, Instant at) {
        return db.preparedQuery("update task_instance set lease_until = $2 where run_owner = $1 and status = 4")
                .execute(Tuple.of(owner, utc(at))).replaceWithVoid();
    }

    /**
     * Runs {@code change} (which makes instance {@code id} succeed) and releases its downstream
     * instances. The downstream rows are locked by a statement sent right behind the change's
     * update, without waiting for its answer: the connection pipelines both, which saves a round
     * trip on the trigger path. PostgreSQL still runs them in that order.
     */
    private Uni<Instance> succeeded(UnitOfWork u, Uni<Instance> change, long id) {
        Optional<List<Row>> locked = u.downstreamOf(id);
        if (locked.isPresent()) {
            // Locked when the work started: the downstream's own changes go out right behind this
            // one. Their decisions need only the downstream rows and the fact that this instance
            // succeeds, and PostgreSQL still runs this change first.
            return Uni.combine().all().unis(change, advanceDownstream(u, locked.get())).asTuple()
                    .map(both -> both.getItem1());
        }
        return Uni.combine().all().unis(change, lockDownstream(u, id)).asTuple()
                .call(both -> advanceDownstream(u, both.getItem2()))
                .map(both -> both.getItem1());
    }

    /** Why a waiting HTTP trigger instance cannot fire right now, or null when it can. */
    public Uni<String> blockedReason(UnitOfWork u, Instance i) {
        if (waitingForUpstreamOrTime(i)) {
            return Uni.createFrom().item(blockedReason(i, u.now(), true));
        }
        return u.connection().preparedQuery("select " + GROUP_FREE).execute(Tuple.of(i.resourceGroup()))
                .map(rows -> blockedReason(i, u.now(), rows.iterator().next().getBoolean("group_free")));
    }

    /**
     * Whether the resource group named by $1 has a free slot (an HTTP trigger node takes none,
     * but reference 001 makes a full group hold its trigger). Also used with {@code t.resource_group}.
     */
    public static final String GROUP_FREE = "coalesce((select rg.slots > (select count(*) from task_instance r where r.resource_group = rg.name "
            + "and r.status = 4) from resource_group rg where rg.name = $1), false) as group_free";

    /** {@link #blockedReason(UnitOfWork, Instance)} with the group's capacity known. */
    public static String blockedReason(Instance i, Instant now, boolean groupFree) {
        if (i.status() == NOT_RUN) {
            return "UpstreamNotFinished";
        }
        if (i.status() == WAIT_TIME && !i.waitTrigger()) {
            return now.isBefore(i.cycTime()) ? "ScheduledTimeNotReached" : "UpstreamNotFinished";
        }
        return groupFree ? null : "ResourceGroupFull";
    }

    /** Whether the node or the instance is frozen. */
    public Uni<Boolean> frozen(UnitOfWork u, Instance i) {
        if (i.frozen()) {
            return Uni.createFrom().item(true);
        }
        return u.connection().preparedQuery("select frozen from node where id = $1").execute(Tuple.of(i.nodeId()))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("frozen"));
    }

    /** A retained trigger fires once nothing blocks it; past its retention it is dropped instead. */
    public Uni<Void> fireRetainedIfPossible(UnitOfWork u, Instance i) {
        if (!i.hasRetainedTrigger()) {
            return Uni.createFrom().voidItem();
        }
        if (!u.now().isBefore(i.triggerExpiresAt())) {
            return dropRetained(u, i);
        }
        return frozen(u, i).chain(frozen -> frozen
                ? Uni.createFrom().voidItem()
                : blockedReason(u, i).chain(reason -> reason == null
                        ? fire(u, i, i.triggerCommandId()).replaceWithVoid()
                        : Uni.createFrom().voidItem()));
    }

    private Uni<Void> dropRetained(UnitOfWork u, Instance i) {
        u.changed(i.id());
        return u.connection().preparedQuery("update task_instance set trigger_retained_at = null, trigger_expires_at = null, "
                        + "trigger_dropped_at = $2, modify_time = $2 where id = $1")
                .execute(Tuple.of(i.id(), utc(u.now())))
                .chain(() -> retainedTriggers.redecide(u, i.triggerCommandId(), "EXPIRED", "RetentionExpired",
                        "the trigger was retained for its full retention time and dropped"));
    }

    private Uni<Boolean> upstreamDone(UnitOfWork u, long id) {
        return u.connection().preparedQuery("select not exists (select 1 from task_instance_dependency d join task_instance up on up.id = d.upstream_instance_id "
                        + "where d.instance_id = $1 and up.status <> 6) as done")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getBoolean("done"));
    }

    /** The instances downstream of {@code id}, locked in id order (so concurrent transactions lock shared rows in one order). */
    private Uni<List<Row>> lockDownstream(UnitOfWork u, long id) {
        return u.connection().preparedQuery("select t.*, (select count(*) from task_instance_dependency d where d.instance_id = t.id) as upstream_count "
                        + "from task_instance t where t.id in (select instance_id from task_instance_dependency where upstream_instance_id = $1) "
                        + "order by t.id for update of t")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<Row> downstream = new ArrayList<>();
                    rows.forEach(downstream::add);
                    return downstream;
                });
    }

    /**
     * Advances the locked downstream instances of an instance that just succeeded. One whose only
     * upstream is that instance needs no second look at its upstream: the dependency rows of an
     * instance are fixed when it is generated (an operator may only remove them).
     */
    private Uni<Void> advanceDownstream(UnitOfWork u, List<Row> downstream) {
        return Multi.createFrom().iterable(downstream)
                .onItem().transformToUniAndConcatenate(r -> advanceLocked(u, Instance.of(r), InstanceChange.OP_SCHEDULER,
                        "scheduler", r.getLong("upstream_count") == 1))
                .collect().last()
                .replaceWithVoid();
    }

    /** Applies {@code set} (with $2 = now, $3… = {@code more}), records the change and marks the DAG for its refresh. */
    private Uni<Instance> update(UnitOfWork u, Instance before, String set, int opCode, String operator, Object... more) {
        Tuple args = Tuple.of(before.id(), utc(u.now()));
        for (Object value : more) {
            args.addValue(value);
        }
        return u.connection().preparedQuery("update task_instance set " + set + ", modify_time = $2 where id = $1" + RETURNING)
                .execute(args)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Instance after = Instance.of(row);
                    UUID changeId = UUID.randomUUID();
                    outbox.append(u, topics.instanceChanges(), String.valueOf(after.id()), changeId,
                            InstanceChange.of(changeId, after, before.status(), after.dagType(), opCode, operator));
                    u.changed(after.id());
                    u.touch(after.dagInstanceId(), !waitingForUpstreamOrTime(after));
                    return after;
                });
    }

    public static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
