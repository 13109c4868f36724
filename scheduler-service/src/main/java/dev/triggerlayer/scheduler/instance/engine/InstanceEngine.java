package dev.triggerlayer.scheduler.instance.engine;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.model.DagChange;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.workflow.model.SchedulerType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.FAILED;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.NOT_RUN;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.SUCCEEDED;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.WAIT_TIME;

/**
 * The task instance state machine. Every method runs inside the caller's transaction: it locks the
 * instance row, changes it, and appends the status change (and the DAG's, when its aggregate status
 * moves) to the outbox, so state and events commit together.
 *
 * <pre>
 *   1 NotRun ──upstream done, before cycTime──▶ 2 WaitTime ──cycTime──▶ start
 *   start: PAUSE → 5 · dry-run types → 6 · HTTP trigger → 2 WaitTrigger ──trigger──▶ 6 · others → 3 WaitResource
 * </pre>
 * Succeeding releases the downstream instances in the same transaction.
 */
@ApplicationScoped
public class InstanceEngine {

    private static final String RETURNING = " returning *, (select dag_type from dag_instance d where d.id = dag_instance_id) as dag_type";

    private final Outbox outbox;
    private final SchedulerConfig.Topics topics;

    public InstanceEngine(Outbox outbox, SchedulerConfig config) {
        this.outbox = outbox;
        this.topics = config.topics();
    }

    /** The instance, locked for this transaction; null when it does not exist. */
    public Uni<Instance> lock(SqlConnection c, long id) {
        return c.preparedQuery("select * from task_instance where id = $1 for update").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : Instance.of(rows.iterator().next()));
    }

    /** Moves the instance forward as far as its upstream instances and its scheduled time allow. */
    public Uni<Void> advance(SqlConnection c, long id, Instant now, int opCode, String operator) {
        return lock(c, id).chain(i -> {
            if (i == null || i.frozen()) {
                return Uni.createFrom().voidItem();
            }
            boolean waitingForUpstreamOrTime = i.status() == NOT_RUN || (i.status() == WAIT_TIME && !i.waitTrigger());
            if (waitingForUpstreamOrTime) {
                return upstreamDone(c, id).chain(done -> {
                    if (!done) {
                        return Uni.createFrom().voidItem();
                    }
                    if (now.isBefore(i.cycTime())) {
                        return i.status() == NOT_RUN
                                ? update(c, i, "status = 2, begin_wait_time_time = coalesce(begin_wait_time_time, $2)", now, opCode, operator).replaceWithVoid()
                                : Uni.createFrom().voidItem();
                    }
                    return start(c, i, now, opCode, operator);
                });
            }
            if (i.status() == WAIT_TIME && i.waitTrigger() && i.hasRetainedTrigger()) {
                return fireRetainedIfPossible(c, i, now);
            }
            return Uni.createFrom().voidItem();
        });
    }

    /** Upstream and time are done: what happens depends on the scheduler type and the node type. */
    private Uni<Void> start(SqlConnection c, Instance i, Instant now, int opCode, String operator) {
        SchedulerType type = SchedulerType.valueOf(i.schedulerType());
        if (type.failsAtStart()) {
            return finish(c, i, FAILED, now, opCode, operator);
        }
        if (type.succeedsAtStart()) {
            return finish(c, i, SUCCEEDED, now, opCode, operator);
        }
        if (i.isHttpTrigger()) {
            return update(c, i, "status = 2, wait_trigger = true, begin_wait_time_time = coalesce(begin_wait_time_time, $2)", now, opCode, operator)
                    .chain(waiting -> waiting.hasRetainedTrigger() ? fireRetainedIfPossible(c, waiting, now) : Uni.createFrom().voidItem());
        }
        return update(c, i, "status = 3, begin_wait_res_time = $2", now, opCode, operator).replaceWithVoid();
    }

    /** Ends the instance with {@code status}; a success releases its downstream instances. */
    public Uni<Void> finish(SqlConnection c, Instance i, int status, Instant now, int opCode, String operator) {
        return update(c, i, "status = " + status + ", wait_trigger = false, finish_time = $2, run_owner = null, lease_until = null, "
                        + "not_before = null", now, opCode, operator)
                .chain(done -> status == SUCCEEDED ? releaseDownstream(c, done.id(), now) : Uni.createFrom().voidItem());
    }

    /** A waiting instance got a slot: it runs now as attempt {@code attempt + 1}, leased to {@code owner}. */
    public Uni<Instance> claim(SqlConnection c, Instance i, Instant now, String owner, Instant leaseUntil) {
        return update(c, i, "status = 4, begin_running_time = $2, attempt = attempt + 1, run_owner = $3, lease_until = $4, not_before = null",
                now, InstanceChange.OP_SCHEDULER, "scheduler", owner, utc(leaseUntil));
    }

    /** A failed run with retries left: the instance waits for a slot again, not before {@code notBefore}. */
    public Uni<Instance> requeue(SqlConnection c, Instance i, Instant now, Instant notBefore) {
        return update(c, i, "status = 3, begin_wait_res_time = $2, not_before = $3, retries_used = retries_used + 1, "
                + "run_owner = null, lease_until = null", now, InstanceChange.OP_SCHEDULER, "scheduler", utc(notBefore));
    }

    /**
     * An operator rerun: back to not run, with its run history kept (attempts keep counting) but
     * its automatic retries and its trigger forgotten, so an HTTP trigger node needs a new trigger.
     */
    public Uni<Instance> reset(SqlConnection c, Instance i, Instant now, String operator) {
        return update(c, i, "status = 1, wait_trigger = false, begin_wait_time_time = null, begin_wait_res_time = null, "
                + "begin_running_time = null, finish_time = null, retries_used = 0, not_before = null, run_owner = null, "
                + "lease_until = null, trigger_command_id = null, trigger_retained_at = null, trigger_expires_at = null, "
                + "trigger_dropped_at = null, triggered_at = null", now, InstanceChange.OP_OPERATOR, operator);
    }

    /** An HTTP trigger node instance is triggered: it succeeds now. */
    public Uni<Instance> fire(SqlConnection c, Instance i, UUID commandId, Instant now) {
        return update(c, i, "status = 6, wait_trigger = false, finish_time = $2, triggered_at = $2, "
                        + "trigger_command_id = coalesce(trigger_command_id, $3)", now, InstanceChange.OP_TRIGGER, "trigger", commandId)
                .call(done -> c.preparedQuery("update trigger_command set outcome = 'TRIGGERED', code = 'Triggered', "
                                + "message = 'the instance was triggered', decided_at = $2 where command_id = $1")
                        .execute(Tuple.of(done.triggerCommandId(), utc(now))))
                .call(done -> releaseDownstream(c, done.id(), now));
    }

    /** Why a waiting HTTP trigger instance cannot fire right now, or null when it can. */
    public Uni<String> blockedReason(SqlConnection c, Instance i, Instant now) {
        if (i.status() == NOT_RUN) {
            return Uni.createFrom().item("UpstreamNotFinished");
        }
        if (i.status() == WAIT_TIME && !i.waitTrigger()) {
            return Uni.createFrom().item(now.isBefore(i.cycTime()) ? "ScheduledTimeNotReached" : "UpstreamNotFinished");
        }
        return c.preparedQuery("select coalesce((select rg.slots > (select count(*) from task_instance t where t.resource_group = rg.name and t.status = 4) "
                        + "from resource_group rg where rg.name = $1), false) as free")
                .execute(Tuple.of(i.resourceGroup()))
                .map(rows -> rows.iterator().next().getBoolean("free") ? null : "ResourceGroupFull");
    }

    /** Whether the node or the instance is frozen. */
    public Uni<Boolean> frozen(SqlConnection c, Instance i) {
        if (i.frozen()) {
            return Uni.createFrom().item(true);
        }
        return c.preparedQuery("select frozen from node where id = $1").execute(Tuple.of(i.nodeId()))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("frozen"));
    }

    /** A retained trigger fires once nothing blocks it; past its retention it is dropped instead. */
    public Uni<Void> fireRetainedIfPossible(SqlConnection c, Instance i, Instant now) {
        if (!i.hasRetainedTrigger()) {
            return Uni.createFrom().voidItem();
        }
        if (!now.isBefore(i.triggerExpiresAt())) {
            return dropRetained(c, i, now);
        }
        return frozen(c, i).chain(frozen -> frozen
                ? Uni.createFrom().voidItem()
                : blockedReason(c, i, now).chain(reason -> reason == null
                        ? fire(c, i, i.triggerCommandId(), now).replaceWithVoid()
                        : Uni.createFrom().voidItem()));
    }

    private Uni<Void> dropRetained(SqlConnection c, Instance i, Instant now) {
        return c.preparedQuery("update task_instance set trigger_retained_at = null, trigger_expires_at = null, "
                        + "trigger_dropped_at = $2, modify_time = $2 where id = $1")
                .execute(Tuple.of(i.id(), utc(now)))
                .chain(() -> c.preparedQuery("update trigger_command set outcome = 'EXPIRED', code = 'RetentionExpired', "
                                + "message = 'the trigger was retained for its full retention time and dropped', decided_at = $2 where command_id = $1")
                        .execute(Tuple.of(i.triggerCommandId(), utc(now))))
                .replaceWithVoid();
    }

    private Uni<Boolean> upstreamDone(SqlConnection c, long id) {
        return c.preparedQuery("select not exists (select 1 from task_instance_dependency d join task_instance u on u.id = d.upstream_instance_id "
                        + "where d.instance_id = $1 and u.status <> 6) as done")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getBoolean("done"));
    }

    private Uni<Void> releaseDownstream(SqlConnection c, long id, Instant now) {
        // In id order, so concurrent transactions lock shared downstream rows in the same order.
        return c.preparedQuery("select instance_id from task_instance_dependency where upstream_instance_id = $1 order by instance_id")
                .execute(Tuple.of(id))
                .chain(rows -> {
                    List<Long> downstream = new ArrayList<>();
                    rows.forEach(r -> downstream.add(r.getLong(0)));
                    return Multi.createFrom().iterable(downstream)
                            .onItem().transformToUniAndConcatenate(d -> advance(c, d, now, InstanceChange.OP_SCHEDULER, "scheduler"))
                            .collect().last()
                            .replaceWithVoid();
                });
    }

    /** Applies {@code set} (with $2 = now, $3… = {@code more}), records the change and refreshes the DAG's aggregate status. */
    private Uni<Instance> update(SqlConnection c, Instance before, String set, Instant now, int opCode, String operator, Object... more) {
        Tuple args = Tuple.of(before.id(), utc(now));
        for (Object value : more) {
            args.addValue(value);
        }
        return c.preparedQuery("update task_instance set " + set + ", modify_time = $2 where id = $1" + RETURNING)
                .execute(args)
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    Instance after = Instance.of(row);
                    UUID changeId = UUID.randomUUID();
                    InstanceChange change = InstanceChange.of(changeId, after, before.status(), row.getInteger("dag_type"), opCode, operator);
                    return outbox.append(c, topics.instanceChanges(), String.valueOf(after.id()), changeId, change, now)
                            .chain(() -> refreshDag(c, after, now, operator))
                            .replaceWith(after);
                });
    }

    /**
     * Refreshes a DAG instance's status after one of its task instances changed: 5 when any failed,
     * 6 when all succeeded, 4 once any has started (or waits for its trigger), else 1. Every task
     * instance change passes through here, so "started" needs only the changed instance and the
     * DAG's own status; failure and success are two probes on (dag_instance_id, status) rather
     * than a scan of the DAG. Always locks the task instance before its DAG, so the lock order is
     * the same everywhere.
     */
    private Uni<Void> refreshDag(SqlConnection c, Instance changed, Instant now, String operator) {
        long dagId = changed.dagInstanceId();
        boolean changedStarted = !(changed.status() == NOT_RUN || (changed.status() == WAIT_TIME && !changed.waitTrigger()));
        String next = "select exists(select 1 from task_instance where dag_instance_id = $1 and status = 5) as failed, "
                + "not exists(select 1 from task_instance where dag_instance_id = $1 and status <> 6) as all_ok";
        return c.preparedQuery("select status from dag_instance where id = $1 for update").execute(Tuple.of(dagId))
                .chain(prev -> c.preparedQuery(next).execute(Tuple.of(dagId)).chain(agg -> {
                    int previous = prev.iterator().next().getInteger("status");
                    Row r = agg.iterator().next();
                    int status = r.getBoolean("failed") ? FAILED
                            : r.getBoolean("all_ok") ? SUCCEEDED
                            : previous != NOT_RUN || changedStarted ? 4 : NOT_RUN;
                    if (previous == status) {
                        return Uni.createFrom().<DagChange>nullItem();
                    }
                    return c.preparedQuery("update dag_instance set status = $2, modify_time = $3, operator = $4 where id = $1")
                            .execute(Tuple.of(dagId, status, utc(now), operator))
                            .replaceWithVoid()
                            .chain(() -> dagChange(c, dagId, previous));
                }))
                .chain(change -> change == null ? Uni.createFrom().voidItem()
                        : outbox.append(c, topics.dagChanges(), String.valueOf(change.dagInstanceId()), change.changeId(), change, now));
    }

    private Uni<DagChange> dagChange(SqlConnection c, long dagId, int previous) {
        return c.preparedQuery("select d.*, w.name as workflow_name, w.time_zone from dag_instance d join workflow w on w.id = d.workflow_id where d.id = $1")
                .execute(Tuple.of(dagId))
                .map(rows -> {
                    Row d = rows.iterator().next();
                    return new DagChange(UUID.randomUUID(), d.getLong("id"), d.getLong("workflow_id"), d.getString("name"),
                            d.getString("workflow_name"), d.getInteger("dag_type"), d.getLong("tenant_id"), d.getLong("workspace_id"),
                            d.getString("env"), previous, d.getInteger("status"), d.getLocalDate("biz_date").toString(),
                            d.getOffsetDateTime("create_time").toInstant().toEpochMilli(),
                            d.getOffsetDateTime("modify_time").toInstant().toEpochMilli(), d.getString("operator"), d.getString("time_zone"));
                });
    }

    public static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
