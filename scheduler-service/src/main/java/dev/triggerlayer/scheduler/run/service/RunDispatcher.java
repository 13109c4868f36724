package dev.triggerlayer.scheduler.run.service;

import dev.triggerlayer.kit.loop.SingleFlight;
import dev.triggerlayer.kit.pg.PgChannels;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.run.model.RunResult;
import dev.triggerlayer.scheduler.run.model.RunSpec;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.triggerlayer.scheduler.instance.engine.InstanceEngine.utc;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.FAILED;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.RUNNING;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.SUCCEEDED;

/**
 * Gives waiting instances their resource-group slots and runs them.
 *
 * <p>Claiming: per resource group, one transaction locks the group's row (so replicas claim one
 * group's slots one at a time and never exceed them), counts its running instances, and moves
 * the waiting ones (highest priority first, then the longest waiting) to running with
 * {@code FOR UPDATE SKIP LOCKED}, each as a new attempt leased to this replica. The process
 * starts only after that commit; (instance, attempt) is the key of its run row, so one attempt
 * can never run twice.
 *
 * <p>Leases: the running replica renews its runs' leases; a run whose lease expired (its replica
 * died) is resolved by any replica like a failed run: retried per the node's retry policy, else
 * failed. A replica that finds it no longer owns a run (an operator killed it, or its lease was
 * taken over) kills the process. Woken by NOTIFY on {@code scheduler_dispatch} (a database
 * trigger fires it when an instance starts waiting for a slot or a slot frees), with polling as
 * the fallback.
 */
@ApplicationScoped
public class RunDispatcher {

    private static final Logger LOG = Logger.getLogger(RunDispatcher.class);
    private static final String CHANNEL = "scheduler_dispatch";
    private static final int RECOVERY_BATCH = 100;

    private final Pool pool;
    private final Transactions transactions;
    private final RunMetrics metrics;
    private final InstanceEngine engine;
    private final ShellRunner runner;
    private final Clock clock;
    private final SchedulerConfig.Runner config;
    private final String replicaId;
    private final ExecutorService workers = Executors.newCachedThreadPool(ShellRunner.daemon("shell-run"));
    private final SingleFlight passes = new SingleFlight("run dispatcher", () -> pass().replaceWith(false));
    private final PgChannels channels;
    /** Lease recovery runs on the polling timer only: a NOTIFY means a slot or an instance changed, not that a lease expired. */
    private final AtomicBoolean recoverDue = new AtomicBoolean(true);
    private final Set<Long> launched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private PgSubscriber subscriber;

    public RunDispatcher(Pool pool, Transactions transactions, PgChannels channels, InstanceEngine engine, ShellRunner runner, Clock clock,
                         SchedulerConfig config, RunMetrics metrics) {
        this.metrics = metrics;
        this.pool = pool;
        this.transactions = transactions;
        this.channels = channels;
        this.engine = engine;
        this.runner = runner;
        this.clock = clock;
        this.config = config.runner();
        this.replicaId = this.config.replicaId().orElseGet(RunDispatcher::randomReplicaId);
        if (this.config.heartbeat().compareTo(this.config.lease()) >= 0) {
            // A lease renewed less often than it lasts would expire under a live run, which another replica would then fail.
            throw new IllegalArgumentException("scheduler.runner.heartbeat (" + this.config.heartbeat()
                    + ") must be shorter than scheduler.runner.lease (" + this.config.lease() + ")");
        }
    }

    /** This replica's name in run leases. */
    public String replicaId() {
        return replicaId;
    }

    void start(@Observes StartupEvent event) {
        // A replica with a stable id resolves the runs its previous life left behind at once.
        InstanceEngine.expireLeases(pool, replicaId, clock.instant().minusMillis(1)).await().atMost(Duration.ofSeconds(30));
        subscriber = channels.listen(CHANNEL, this::wake);
        passes.enable();
        LOG.infof("run dispatcher started as replica %s (shell scripts %s)", replicaId, config.shellEnabled() ? "enabled" : "disabled");
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        passes.disable();
        runner.killAll();
        workers.shutdownNow();
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }

    @Scheduled(every = "${scheduler.runner.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        recoverDue.set(true);
        wake();
    }

    @Scheduled(every = "${scheduler.runner.heartbeat:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> heartbeat() {
        return renewLeases().onFailure().invoke(e -> LOG.warnf("lease renewal failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Runs a pass (recover, check ownership, claim) now, or right after the one in progress. */
    public void wake() {
        passes.wake();
    }

    /** One pass; returns how many runs it started. */
    public Uni<Integer> pass() {
        Uni<Integer> recovered = recoverDue.getAndSet(false) ? recoverExpired() : Uni.createFrom().item(0);
        return recovered.chain(this::renewLeases).chain(this::dispatch);
    }

    /** Claims free slots for waiting shell instances and starts their runs; returns how many started. */
    public Uni<Integer> dispatch() {
        if (!config.shellEnabled() || stopping) {
            return Uni.createFrom().item(0);
        }
        Instant now = clock.instant();
        // Only groups with waiting instances (a probe of the partial index), so idle groups cost nothing.
        return pool.query("select rg.name from resource_group rg where exists "
                        + "(select 1 from task_instance t where t.resource_group = rg.name and t.status = 3) order by rg.name").execute()
                .chain(rows -> {
                    List<String> groups = new ArrayList<>();
                    rows.forEach(r -> groups.add(r.getString(0)));
                    // Launching right after each group's commit keeps the local limit exact across groups.
                    return Multi.createFrom().iterable(groups)
                            .onItem().transformToUniAndConcatenate(group -> claim(group, now).invoke(specs -> specs.forEach(this::launch)))
                            .collect().asList();
                })
                .map(claims -> claims.stream().mapToInt(List::size).sum());
    }

    private Uni<List<RunSpec>> claim(String group, Instant now) {
        int localFree = config.maxConcurrent() - launched.size();
        if (localFree <= 0) {
            return Uni.createFrom().item(List.of());
        }
        return transactions.run(now, u -> u.connection().preparedQuery("select slots from resource_group where name = $1 for update").execute(Tuple.of(group))
                .chain(slots -> u.connection().preparedQuery("select count(*) from task_instance where resource_group = $1 and status = 4").execute(Tuple.of(group))
                        .map(running -> Math.min(localFree, slots.iterator().next().getInteger(0) - running.iterator().next().getLong(0).intValue())))
                .chain(free -> free <= 0 ? Uni.createFrom().item(List.<RunSpec>of()) : u.connection().preparedQuery(
                                "select t.*, n.script, n.retries, n.retry_delay_ms, n.timeout_seconds, n.parameters from task_instance t "
                                        + "join node n on n.id = t.node_id where t.resource_group = $1 and t.status = 3 and not t.frozen "
                                        + "and not n.frozen and t.node_type = 'SHELL' and (t.not_before is null or t.not_before <= $2) "
                                        + "order by t.priority desc, t.begin_wait_res_time, t.id limit $3 for update of t skip locked")
                        .execute(Tuple.of(group, utc(now), free))
                        .chain(rows -> {
                            List<Row> waiting = new ArrayList<>();
                            rows.forEach(waiting::add);
                            return Multi.createFrom().iterable(waiting)
                                    .onItem().transformToUniAndConcatenate(row -> start(u, row))
                                    .collect().asList();
                        })));
    }

    private Uni<RunSpec> start(UnitOfWork u, Row row) {
        Instance waiting = Instance.of(row);
        Instant now = u.now();
        return engine.claim(u, waiting, replicaId, now.plus(config.lease()))
                .call(running -> u.connection().preparedQuery("insert into task_instance_run (instance_id, attempt, runner, started_at) values ($1, $2, $3, $4)")
                        .execute(Tuple.of(running.id(), running.attempt(), replicaId, utc(now))))
                .map(running -> new RunSpec(running.id(), running.attempt(), running.nodeId(), running.workspaceId(), running.env(),
                        running.cycTime(), running.bizDate(), row.getString("script"), parameters(row.getJsonObject("parameters")),
                        row.getInteger("timeout_seconds") == null ? config.defaultTimeout() : Duration.ofSeconds(row.getInteger("timeout_seconds")),
                        row.getInteger("retries"), Duration.ofMillis(row.getLong("retry_delay_ms"))));
    }

    private void launch(RunSpec spec) {
        launched.add(spec.instanceId());
        try {
            workers.submit(() -> {
                try {
                    if (!markStarting(spec)) {
                        return; // the lease expires unrenewed and the run is dispatched again, counting against nothing
                    }
                    RunResult result = runner.run(spec);
                    if (!stopping) {
                        complete(spec, result);
                    }
                } finally {
                    launched.remove(spec.instanceId());
                    wake();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            launched.remove(spec.instanceId()); // shutting down: the lease expires and another replica resolves it
        }
    }

    /**
     * Records that the process is about to start, before it does: a run lost with its replica
     * without this mark never ran a single command and is dispatched again without counting; with
     * it, the script may have run (part of) its commands, so its loss counts as a lost attempt.
     */
    private boolean markStarting(RunSpec spec) {
        for (int attempt = 1; attempt <= 5 && !stopping; attempt++) {
            try {
                pool.preparedQuery("update task_instance_run set process_started_at = $3 where instance_id = $1 and attempt = $2")
                        .execute(Tuple.of(spec.instanceId(), spec.attempt(), utc(clock.instant()))).await().atMost(Duration.ofSeconds(10));
                return true;
            } catch (RuntimeException e) {
                LOG.warnf("instance %d attempt %d: cannot record its start (try %d): %s", spec.instanceId(), spec.attempt(), attempt, e.getMessage());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Records the run and moves the instance, unless it is no longer this run's (killed, or its lease taken over). */
    private void complete(RunSpec spec, RunResult result) {
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.run(u -> engine.lock(u, spec.instanceId()).chain(i -> {
                    boolean ours = i != null && i.status() == RUNNING && i.attempt() == spec.attempt() && replicaId.equals(i.runOwner());
                    String outcome = ours || result.killed() ? result.outcome() : "LOST";
                    metrics.ran(outcome);
                    Uni<Void> recorded = u.connection().preparedQuery("update task_instance_run set finished_at = coalesce(finished_at, $3), exit_code = $4, "
                                    + "outcome = coalesce(outcome, $5), log = $6, log_dropped_bytes = $7 where instance_id = $1 and attempt = $2")
                            .execute(Tuple.from(new Object[] {spec.instanceId(), spec.attempt(), utc(u.now()),
                                    result.exitCode(), outcome, result.log(), result.droppedBytes()}))
                            .replaceWithVoid();
                    return ours ? recorded.chain(() -> afterRun(u, i, spec, result.succeeded())) : recorded;
                })).await().atMost(Duration.ofSeconds(30));
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                // The result must not be lost while the database is briefly unavailable; the lease
                // (renewed meanwhile) keeps other replicas from resolving the run.
                LOG.warnf("recording the run of instance %d failed (try %d), retrying: %s", spec.instanceId(), attempt, e.getMessage());
                try {
                    Thread.sleep(Math.min(5000, 200L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Success ends the instance; a failure is retried while the node's retries last, then fails it. */
    private Uni<Void> afterRun(UnitOfWork u, Instance i, RunSpec spec, boolean succeeded) {
        if (succeeded) {
            return engine.finish(u, i, SUCCEEDED, InstanceChange.OP_SCHEDULER, "scheduler");
        }
        if (i.retriesUsed() < spec.retries()) {
            return engine.requeue(u, i, u.now().plus(spec.retryDelay())).replaceWithVoid();
        }
        return engine.finish(u, i, FAILED, InstanceChange.OP_SCHEDULER, "scheduler");
    }

    /**
     * Runs whose lease expired: their replica is gone, and so is their process. A run whose
     * process never started is dispatched again, counting against nothing (run outcome
     * NOT_STARTED). A run that had started is LOST and retried on the lost-run allowance (the
     * node's {@code lostRetries}, else {@code scheduler.runner.lost-retries}), then on the node's
     * own retries; only when both are used up does the instance fail. Scripts are therefore run
     * at least once per attempt, and a lost attempt may have done part of its work.
     */
    public Uni<Integer> recoverExpired() {
        Instant now = clock.instant();
        return transactions.run(now, u -> u.connection().preparedQuery("select t.*, n.retries, n.retry_delay_ms, n.lost_retries, "
                        + "r.process_started_at from task_instance t join node n on n.id = t.node_id "
                        + "left join task_instance_run r on r.instance_id = t.id and r.attempt = t.attempt "
                        + "where t.status = 4 and t.lease_until < $1 order by t.id limit " + RECOVERY_BATCH + " for update of t skip locked")
                .execute(Tuple.of(utc(now)))
                .chain(rows -> {
                    List<Row> lost = new ArrayList<>();
                    rows.forEach(lost::add);
                    return Multi.createFrom().iterable(lost).onItem().transformToUniAndConcatenate(row -> recover(u, row, now))
                            .collect().asList().map(done -> lost.size());
                }));
    }

    private Uni<Void> recover(UnitOfWork u, Row row, Instant now) {
        Instance i = Instance.of(row);
        boolean started = row.getOffsetDateTime("process_started_at") != null;
        String outcome = started ? "LOST" : "NOT_STARTED";
        LOG.warnf("instance %d attempt %d: lease of replica %s expired; %s", i.id(), i.attempt(), i.runOwner(),
                started ? "its run is lost and will be retried" : "its process never started; dispatching it again");
        metrics.ran(outcome);
        Uni<Void> recorded = u.connection().preparedQuery("update task_instance_run set finished_at = $3, outcome = $4, log = coalesce(log, $5) "
                        + "where instance_id = $1 and attempt = $2 and outcome is null")
                .execute(Tuple.of(i.id(), i.attempt(), utc(now), outcome, started
                        ? "[the scheduler replica " + i.runOwner() + " running this attempt stopped; its output is lost]"
                        : "[the scheduler replica " + i.runOwner() + " stopped before starting this attempt]"))
                .replaceWithVoid();
        if (!started) {
            return recorded.chain(() -> engine.redispatch(u, i)).replaceWithVoid();
        }
        int allowance = row.getInteger("lost_retries") != null ? row.getInteger("lost_retries") : config.lostRetries();
        if (row.getInteger("lost_retries_used") < allowance) {
            return recorded.chain(() -> engine.requeueLost(u, i)).replaceWithVoid();
        }
        return recorded.chain(() -> i.retriesUsed() < row.getInteger("retries")
                ? engine.requeue(u, i, now.plus(Duration.ofMillis(row.getLong("retry_delay_ms")))).replaceWithVoid()
                : engine.finish(u, i, FAILED, InstanceChange.OP_SCHEDULER, "scheduler"));
    }

    /** Renews the leases of the local runs; kills those this replica no longer owns. */
    Uni<Void> renewLeases() {
        Set<Long> local = runner.runningInstances();
        if (local.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        return InstanceEngine.renewLeases(pool, replicaId, local.toArray(new Long[0]), now.plus(config.lease()))
                .invoke(leased -> {
                    Set<String> owned = new HashSet<>();
                    leased.forEach(r -> owned.add(r[0] + "/" + r[1]));
                    for (long id : local) {
                        int attempt = runner.runningAttempt(id);
                        if (attempt > 0 && !owned.contains(id + "/" + attempt) && runner.kill(id)) {
                            LOG.infof("instance %d attempt %d is no longer this replica's run: process killed", id, attempt);
                        }
                    }
                })
                .replaceWithVoid();
    }

    private static Map<String, String> parameters(JsonObject json) {
        Map<String, String> out = new TreeMap<>();
        if (json != null) {
            json.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return out;
    }

    private static String randomReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "scheduler";
        }
        String id = host + "-" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() > 64 ? id.substring(id.length() - 64) : id;
    }
}
