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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

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
    private final Map<SqlConnection, Batch> batches = Collections.synchronizedMap(new IdentityHashMap<>());

    public InstanceEngine(Outbox outbox, SchedulerConfig config) {
        this.outbox = outbox;
        this.topics = config.topics();
    }

    /**
     * Runs {@code work} in the caller's transaction as a batch: outbox records, trigger command
     * records and DAG status refreshes wait for the end of the work and then go to PostgreSQL a
     * few statements for the whole batch instead of several per change. The caller commits after
     * the returned Uni; a failure discards what was deferred along with the transaction.
     */
    public <T> Uni<T> batched(SqlConnection c, Instant now, Function<Batch, Uni<T>> work) {
        Batch batch = new Batch();
        return Uni.createFrom().deferred(() -> {
                    batches.put(c, batch);
                    outbox.defer(c);
                    return work.apply(batch);
                })
                .call(() -> {
                    // DAGs are refreshed after every instance change of the batch, so from their final state.
                    batches.remove(c);
                    return insertCommands(c, batch.commands());
                })
                .call(() -> Multi.createFrom().iterable(List.copyOf(batch.dags.entrySet()))
                        .onItem().transformToUniAndConcatenate(e -> refreshDag(c, e.getKey(), e.getValue().started(), now, e.getValue().operator()))
                        .collect().last())
                .call(() -> outbox.flush(c))
                .onTermination().invoke(() -> {
                    batches.remove(c);
                    outbox.discard(c);
                });
    }

    private Uni<Void> insertCommands(SqlConnection c, List<Batch.CommandRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = records.size();
        UUID[] ids = new UUID[n];
        Long[] instances = new Long[n];
        String[] outcomes = new String[n];
        String[] codes = new String[n];
        String[] messages = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        OffsetDateTime[] decided = new OffsetDateTime[n];
        for (int k = 0; k < n; k++) {
            Batch.CommandRecord r = records.get(k);
            ids[k] = r.commandId();
            instances[k] = r.instanceId();
            outcomes[k] = r.outcome();
            codes[k] = r.code();
            messages[k] = r.message();
            received[k] = utc(r.receivedAt());
            decided[k] = utc(r.decidedAt());
        }
        return c.preparedQuery("insert into trigger_command (command_id, instance_id, outcome, code, message, received_at, decided_at) "
                        + "select * from unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])")
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfLong(instances).addArrayOfString(outcomes).addArrayOfString(codes)
                        .addArrayOfString(messages).addArrayOfOffsetDateTime(received).addArrayOfOffsetDateTime(decided))
                .replaceWithVoid();
    }

    /** The instance, locked for this transaction; null when it does not exist. */
    public Uni<Instance> lock(SqlConnection c, long id) {
        return c.preparedQuery("select * from task_instance where id = $1 for update").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : Instance.of(rows.iterator().next()));
    }

    /** Moves the instance forward as far as its upstream instances and its scheduled time allow. */
    public Uni<Void> advance(SqlConnection c, long id, Instant now, int opCode, String operator) {
        return lock(c, id).chain(i -> advanceLocked(c, i, now, opCode, operator, false));
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
    public Uni<Void> advanceLocked(SqlConnection c, Instance i, Instant now, int opCode, String operator, boolean upstreamKnownDone) {
        if (!mayAdvance(i)) {
            return Uni.createFrom().voidItem();
        }
        if (waitingForUpstreamOrTime(i)) {
            return (upstreamKnownDone ? Uni.createFrom().item(true) : upstreamDone(c, i.id())).chain(done -> {
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
        return fireRetainedIfPossible(c, i, now);
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
        Uni<Instance> finished = update(c, i, "status = " + status + ", wait_trigger = false, finish_time = $2, run_owner = null, "
                + "lease_until = null, not_before = null", now, opCode, operator);
        return status == SUCCEEDED ? succeeded(c, finished, i.id(), now).replaceWithVoid() : finished.replaceWithVoid();
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
        Uni<Instance> fired = update(c, i, "status = 6, wait_trigger = false, finish_time = $2, triggered_at = $2, "
                        + "trigger_command_id = coalesce(trigger_command_id, $3)", now, InstanceChange.OP_TRIGGER, "trigger", commandId)
                // A retained trigger's command was recorded when it was retained; a fresh one is recorded by its caller.
                .call(done -> i.triggerCommandId() == null ? Uni.createFrom().voidItem()
                        : redecide(c, done.triggerCommandId(), "TRIGGERED", "Triggered", "the instance was triggered", now));
        return succeeded(c, fired, i.id(), now);
    }

    /**
     * Runs {@code change} (which makes instance {@code id} succeed) and releases its downstream
     * instances. The downstream rows are locked by a statement sent right behind the change's
     * update, without waiting for its answer: the connection pipelines both, which saves a round
     * trip on the trigger path. PostgreSQL still runs them in that order.
     */
    private Uni<Instance> succeeded(SqlConnection c, Uni<Instance> change, long id, Instant now) {
        Batch batch = batches.get(c);
        Optional<List<Row>> locked = batch == null ? Optional.empty() : batch.downstreamOf(id);
        if (locked.isPresent()) {
            // Locked when the batch started: the downstream's own changes go out right behind this
            // one. Their decisions need only the downstream rows and the fact that this instance
            // succeeds, and PostgreSQL still runs this change first.
            return Uni.combine().all().unis(change, advanceDownstream(c, locked.get(), now)).asTuple()
                    .map(both -> both.getItem1());
        }
        return Uni.combine().all().unis(change, lockDownstream(c, id)).asTuple()
                .call(both -> advanceDownstream(c, both.getItem2(), now))
                .map(both -> both.getItem1());
    }

    /** Why a waiting HTTP trigger instance cannot fire right now, or null when it can. */
    public Uni<String> blockedReason(SqlConnection c, Instance i, Instant now) {
        if (waitingForUpstreamOrTime(i)) {
            return Uni.createFrom().item(blockedReason(i, now, true));
        }
        return c.preparedQuery("select " + GROUP_FREE).execute(Tuple.of(i.resourceGroup()))
                .map(rows -> blockedReason(i, now, rows.iterator().next().getBoolean("group_free")));
    }

    /**
     * Whether the resource group named by $1 has a free slot (an HTTP trigger node takes none,
     * but reference 001 makes a full group hold its trigger). Also used with {@code t.resource_group}.
     */
    public static final String GROUP_FREE = "coalesce((select rg.slots > (select count(*) from task_instance r where r.resource_group = rg.name "
            + "and r.status = 4) from resource_group rg where rg.name = $1), false) as group_free";

    /** {@link #blockedReason(SqlConnection, Instance, Instant)} with the group's capacity known. */
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
        markChanged(c, i.id());
        return c.preparedQuery("update task_instance set trigger_retained_at = null, trigger_expires_at = null, "
                        + "trigger_dropped_at = $2, modify_time = $2 where id = $1")
                .execute(Tuple.of(i.id(), utc(now)))
                .chain(() -> redecide(c, i.triggerCommandId(), "EXPIRED", "RetentionExpired",
                        "the trigger was retained for its full retention time and dropped", now));
    }

    /** For writes to a task instance outside {@link #update}: a batch must not trust a row it read before. */
    public void markChanged(SqlConnection c, long instanceId) {
        Batch batch = batches.get(c);
        if (batch != null) {
            batch.changed(instanceId);
        }
    }

    /** Changes a recorded command's decision, in the batch when it was recorded by this batch. */
    private Uni<Void> redecide(SqlConnection c, UUID commandId, String outcome, String code, String message, Instant now) {
        Batch batch = batches.get(c);
        if (batch != null && batch.redecide(commandId, outcome, code, message, now)) {
            return Uni.createFrom().voidItem();
        }
        return c.preparedQuery("update trigger_command set outcome = $2, code = $3, message = $4, decided_at = $5 where command_id = $1")
                .execute(Tuple.of(commandId, outcome, code, message).addOffsetDateTime(utc(now)))
                .replaceWithVoid();
    }

    private Uni<Boolean> upstreamDone(SqlConnection c, long id) {
        return c.preparedQuery("select not exists (select 1 from task_instance_dependency d join task_instance u on u.id = d.upstream_instance_id "
                        + "where d.instance_id = $1 and u.status <> 6) as done")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getBoolean("done"));
    }

    /** The instances downstream of {@code id}, locked in id order (so concurrent transactions lock shared rows in one order). */
    private Uni<List<Row>> lockDownstream(SqlConnection c, long id) {
        return c.preparedQuery("select t.*, (select count(*) from task_instance_dependency u where u.instance_id = t.id) as upstream_count "
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
    private Uni<Void> advanceDownstream(SqlConnection c, List<Row> downstream, Instant now) {
        return Multi.createFrom().iterable(downstream)
                .onItem().transformToUniAndConcatenate(r -> advanceLocked(c, Instance.of(r), now, InstanceChange.OP_SCHEDULER,
                        "scheduler", r.getLong("upstream_count") == 1))
                .collect().last()
                .replaceWithVoid();
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
                            .chain(() -> {
                                Batch batch = batches.get(c);
                                if (batch != null) {
                                    batch.changed(after.id());
                                    batch.touch(after.dagInstanceId(), started(after), operator);
                                    return Uni.createFrom().voidItem();
                                }
                                return refreshDag(c, after.dagInstanceId(), started(after), now, operator);
                            })
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
    private Uni<Void> refreshDag(SqlConnection c, long dagId, boolean changedStarted, Instant now, String operator) {
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

    private static boolean started(Instance changed) {
        return !waitingForUpstreamOrTime(changed);
    }

    public static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
