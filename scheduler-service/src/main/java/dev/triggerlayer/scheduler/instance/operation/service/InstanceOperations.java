package dev.triggerlayer.scheduler.instance.operation.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.extension.model.Held;
import dev.triggerlayer.scheduler.extension.service.ExtensionChecks;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.instance.model.InstanceStatus;
import dev.triggerlayer.scheduler.instance.operation.model.Operation;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRecord;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRequest;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.run.service.ShellRunner;
import dev.triggerlayer.scheduler.workflow.model.RerunMode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.FAILED;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.NOT_RUN;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.RUNNING;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.SUCCEEDED;

/**
 * Operator actions on task instances. One request is one transaction: every instance is locked
 * (in id order) and checked before anything changes, so a refused request changes nothing. The
 * status changes it causes, the operation's record for the instance-change events and its audit
 * row commit together.
 */
@ApplicationScoped
public class InstanceOperations {

    private final Transactions transactions;
    private final InstanceEngine engine;
    private final Outbox outbox;
    private final ShellRunner runner;
    private final ExtensionChecks checks;
    private final String topic;

    public InstanceOperations(Transactions transactions, InstanceEngine engine, Outbox outbox, ShellRunner runner, ExtensionChecks checks,
                              SchedulerConfig config) {
        this.transactions = transactions;
        this.engine = engine;
        this.outbox = outbox;
        this.runner = runner;
        this.checks = checks;
        this.topic = config.topics().instanceOperations();
    }

    /**
     * What an operation did: the records it published (one per workspace and environment), or,
     * when enabled extensions cover it, the checks it now waits for (nothing changed yet).
     */
    public record Outcome(List<OperationRecord> records, Held held) {
    }

    /** Applies the operation, or holds it in Checking when extensions cover it (docs/extensions.md). */
    public Uni<Outcome> apply(Operation op, OperationRequest request, String operator) {
        return apply(op, request, operator, null);
    }

    /** Applies an operation whose checks all passed (the pending operation {@code approved}), in the transaction that closes it. */
    public Uni<Outcome> applyApproved(UUID approved, Operation op, OperationRequest request, String operator) {
        return apply(op, request, operator, approved);
    }

    private Uni<Outcome> apply(Operation op, OperationRequest request, String operator, UUID approved) {
        checkShape(op, request);
        return transactions.run(u -> targets(u, op, request)
                        .chain(ids -> lockAll(u, ids))
                        .chain(targets -> checks.refuseHeld(u, targets.keySet(), approved)
                                .invoke(() -> {
                                    Set<Long> requested = Set.copyOf(request.instanceIds());
                                    targets.values().forEach(t -> check(op, t, requested.contains(t.instance.id())));
                                })
                                .chain(() -> approved != null ? Uni.createFrom().item((Held) null)
                                        : checks.hold(u, op, request, targets.values().stream().map(Target::instance).toList(),
                                        targets.values().stream().collect(java.util.stream.Collectors.toMap(t -> t.instance.id(), Target::nodeName)), operator))
                                .chain(held -> held != null ? Uni.createFrom().item(new Outcome(List.of(), held))
                                        : apply(u, op, request, targets, operator)
                                        .map(done -> new Outcome(record(u, op, request, targets, operator), null))
                                        .call(outcome -> approved == null ? Uni.createFrom().voidItem() : checks.markApplied(u, approved)))))
                // Two transactions locking shared instances in different orders: PostgreSQL aborts one; run it again.
                .onFailure(e -> e instanceof PgException p && ("40P01".equals(p.getSqlState()) || "40001".equals(p.getSqlState())))
                .retry().atMost(3)
                .invoke(outcome -> {
                    if (op == Operation.KILL) {
                        outcome.records().forEach(r -> r.taskInstanceIds().forEach(runner::kill));
                    }
                });
    }

    private static void checkShape(Operation op, OperationRequest request) {
        boolean deleteDependencies = op == Operation.DELETE_DEPENDENCIES;
        if (deleteDependencies && request.instanceIds().size() != 1) {
            throw new InvalidInputException("instanceIds", "delete-dependencies takes exactly one instance");
        }
        if (deleteDependencies && (request.upstreamInstanceIds() == null || request.upstreamInstanceIds().isEmpty())) {
            throw new InvalidInputException("upstreamInstanceIds", "is required: the upstream instances to remove");
        }
        if (!deleteDependencies && request.upstreamInstanceIds() != null) {
            throw new InvalidInputException("upstreamInstanceIds", "is only accepted by delete-dependencies");
        }
        if (op != Operation.RERUN && request.descendants() != null) {
            throw new InvalidInputException("descendants", "is only accepted by rerun");
        }
    }

    /** The instances the operation touches, in id order (rerun with descendants: all of them downstream too). */
    private Uni<List<Long>> targets(UnitOfWork u, Operation op, OperationRequest request) {
        Long[] ids = new TreeSet<>(request.instanceIds()).toArray(new Long[0]);
        if (op != Operation.RERUN || !Boolean.TRUE.equals(request.descendants())) {
            return Uni.createFrom().item(List.of(ids));
        }
        return u.connection().preparedQuery("with recursive down(id) as (select unnest($1::bigint[]) union "
                        + "select d.instance_id from task_instance_dependency d join down on d.upstream_instance_id = down.id) "
                        + "select id from down order by id")
                .execute(Tuple.of((Object) ids))
                .map(rows -> {
                    List<Long> all = new ArrayList<>();
                    rows.forEach(r -> all.add(r.getLong(0)));
                    return all;
                });
    }

    private Uni<Map<Long, Target>> lockAll(UnitOfWork u, List<Long> ids) {
        return u.connection().preparedQuery("select t.*, n.rerun_mode, n.name as node_name from task_instance t join node n on n.id = t.node_id "
                        + "where t.id = any($1) order by t.id for update of t")
                .execute(Tuple.of((Object) ids.toArray(new Long[0])))
                .map(rows -> {
                    Map<Long, Target> found = new LinkedHashMap<>();
                    for (Row r : rows) {
                        found.put(r.getLong("id"), new Target(Instance.of(r), RerunMode.valueOf(r.getString("rerun_mode")), r.getString("node_name")));
                    }
                    for (Long id : ids) {
                        if (!found.containsKey(id)) {
                            throw new NotFoundException("task instance", id);
                        }
                    }
                    return found;
                });
    }

    private Uni<Void> apply(UnitOfWork u, Operation op, OperationRequest request, Map<Long, Target> targets, String operator) {
        // Each action re-reads its (already locked) instance: an earlier one may have moved it, e.g.
        // setting an upstream instance to succeeded releases its downstream in the same request.
        return switch (op) {
            case FREEZE -> each(u, targets, i -> engine.setFrozen(u, i, true));
            case UNFREEZE -> each(u, targets, i -> engine.setFrozen(u, i, false)
                    .chain(() -> engine.advance(u, i.id(), InstanceChange.OP_OPERATOR, operator)));
            case KILL -> each(u, targets, i -> engine.forgetRetainedTrigger(u, i)
                    .chain(() -> engine.finish(u, i, FAILED, InstanceChange.OP_OPERATOR, operator)));
            case SET_SUCCESS -> each(u, targets, i -> i.status() == SUCCEEDED ? Uni.createFrom().voidItem() : engine.forgetRetainedTrigger(u, i)
                    .chain(() -> engine.finish(u, i, SUCCEEDED, InstanceChange.OP_OPERATOR, operator)));
            // Reset everything first, then let each move as far as its (reset) upstream allows.
            case RERUN -> each(u, targets, i -> i.status() == NOT_RUN ? Uni.createFrom().voidItem()
                            : engine.reset(u, i, operator).replaceWithVoid())
                    .chain(() -> each(u, targets, i -> engine.advance(u, i.id(), InstanceChange.OP_OPERATOR, operator)));
            case DELETE_DEPENDENCIES -> deleteDependencies(u, targets.values().iterator().next().instance,
                    request.upstreamInstanceIds(), operator);
            case EXPIRE -> throw new IllegalArgumentException("expiry is not an operator action");
        };
    }

    /** Refuses an operation the instance's state does not allow, naming the instance. */
    private static void check(Operation op, Target t, boolean requested) {
        Instance i = t.instance;
        String state = "instance " + i.id() + " is " + InstanceStatus.name(i.status(), i.waitTrigger());
        switch (op) {
            case FREEZE -> {
                if (i.status() == RUNNING || i.isFinished()) {
                    throw new ConflictException(state + ": only an instance that has not started can be frozen");
                }
            }
            case KILL -> {
                if (i.isFinished()) {
                    throw new ConflictException(state + ": it has already finished");
                }
            }
            case SET_SUCCESS -> {
                if (i.status() == SUCCEEDED) {
                    throw new ConflictException(state + ": it has already succeeded");
                }
                if (i.status() == RUNNING) {
                    throw new ConflictException(state + ": kill it before setting it to succeeded");
                }
            }
            case RERUN -> {
                if (i.status() == RUNNING) {
                    throw new ConflictException(state + ": kill it before rerunning it");
                }
                if (requested && !i.isFinished()) {
                    throw new ConflictException(state + ": only a finished instance can be rerun");
                }
                if (i.isFinished() && t.rerunMode == RerunMode.ALL_DENIED) {
                    throw new ConflictException("instance " + i.id() + ": its node does not allow reruns (rerunMode ALL_DENIED)");
                }
                if (i.status() == SUCCEEDED && t.rerunMode == RerunMode.FAILURE_ALLOWED) {
                    throw new ConflictException("instance " + i.id() + " succeeded: its node allows reruns only after a failure (rerunMode FAILURE_ALLOWED)");
                }
            }
            case DELETE_DEPENDENCIES -> {
                if (i.status() != NOT_RUN) {
                    throw new ConflictException(state + ": it no longer waits for its upstream instances");
                }
            }
            default -> {
            }
        }
    }

    private Uni<Void> deleteDependencies(UnitOfWork u, Instance i, List<Long> upstream, String operator) {
        Long[] wanted = new TreeSet<>(upstream).toArray(new Long[0]);
        return u.connection().preparedQuery("delete from task_instance_dependency where instance_id = $1 and upstream_instance_id = any($2) "
                        + "returning upstream_instance_id")
                .execute(Tuple.of(i.id(), wanted))
                .chain(rows -> {
                    Set<Long> removed = new TreeSet<>();
                    rows.forEach(r -> removed.add(r.getLong(0)));
                    for (Long id : wanted) {
                        if (!removed.contains(id)) {
                            throw new InvalidInputException("upstreamInstanceIds", "instance " + id + " is not an upstream instance of " + i.id());
                        }
                    }
                    return engine.advance(u, i.id(), InstanceChange.OP_OPERATOR, operator);
                });
    }

    private List<OperationRecord> record(UnitOfWork u, Operation op, OperationRequest request, Map<Long, Target> targets, String operator) {
        Map<String, List<Instance>> byWorkspace = new LinkedHashMap<>();
        targets.values().forEach(t -> byWorkspace.computeIfAbsent(t.instance.tenantId() + "/" + t.instance.workspaceId() + "/" + t.instance.env(),
                k -> new ArrayList<>()).add(t.instance));
        List<OperationRecord> records = new ArrayList<>();
        for (List<Instance> group : byWorkspace.values()) {
            Instance first = group.get(0);
            records.add(new OperationRecord(UUID.randomUUID(), op.eventCode, first.tenantId(), first.workspaceId(), first.env(), operator,
                    u.now().toEpochMilli(), group.stream().map(Instance::id).toList(),
                    op == Operation.DELETE_DEPENDENCIES ? List.copyOf(new TreeSet<>(request.upstreamInstanceIds())) : null,
                    op == Operation.RERUN ? Boolean.TRUE.equals(request.descendants()) : null, null, null, null, null));
        }
        records.forEach(r -> save(u, r));
        return records;
    }

    /**
     * The audit row and the outbox record of one operation record (also used by the expiry job):
     * both are written when the unit of work finishes, with its other writes.
     */
    public void save(UnitOfWork u, OperationRecord r) {
        JsonObject detail = new JsonObject();
        if (r.upstreamTaskInstanceIds() != null) {
            detail.put("upstreamTaskInstanceIds", r.upstreamTaskInstanceIds());
        }
        if (r.descendants() != null) {
            detail.put("descendants", r.descendants());
        }
        if (r.owner() != null) {
            detail.put("owner", r.owner());
        }
        u.beforeCommit(work -> work.connection().preparedQuery("insert into instance_operation (id, operation, tenant_id, workspace_id, env, "
                        + "operator, instance_ids, detail, operated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(new Object[] {r.operationId(), r.operation(), r.tenantId(), r.workspaceId(), r.env(), r.operator(),
                        r.taskInstanceIds().toArray(new Long[0]), detail, work.now().atOffset(ZoneOffset.UTC)}))
                .replaceWithVoid());
        outbox.append(u, topic, String.valueOf(r.workspaceId()), r.operationId(), r);
    }

    private Uni<Void> each(UnitOfWork u, Map<Long, Target> targets, java.util.function.Function<Instance, Uni<Void>> action) {
        return Multi.createFrom().iterable(new ArrayList<>(targets.keySet()))
                .onItem().transformToUniAndConcatenate(id -> engine.lock(u, id).chain(i -> action.apply(i)))
                .collect().asList()
                .replaceWithVoid();
    }

    private record Target(Instance instance, RerunMode rerunMode, String nodeName) {
    }

}
