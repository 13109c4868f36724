package dev.triggerlayer.scheduler.trigger.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.instance.model.InstanceStatus;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.trigger.model.Received;
import dev.triggerlayer.scheduler.trigger.model.TriggerCommand;
import dev.triggerlayer.scheduler.trigger.model.TriggerOutcome;
import dev.triggerlayer.scheduler.trigger.repository.TriggerCommandRecords;
import dev.triggerlayer.scheduler.trigger.repository.TriggerCommandRecords.Decision;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.scheduler.instance.engine.InstanceEngine.utc;
import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.REFUSED;
import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.RETAINED;
import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.TRIGGERED;

/**
 * Applies trigger commands (reference 001), a poll's worth in one unit of work: the instance must
 * exist, be an HTTP trigger node instance that was not triggered yet and is not frozen. It fires
 * when its upstream succeeded, its time arrived and its resource group has a free slot; otherwise
 * the trigger is retained and fires when those hold, or is dropped after the retention (24 h).
 */
@ApplicationScoped
public class TriggerService {

    /** The instance a command names: its node, environment and scheduled time. */
    private record Target(long nodeId, String env, long cycTimeMillis) {
        static Target of(TriggerCommand cmd) {
            return new Target(cmd.taskId(), cmd.env(), cmd.triggerTime());
        }

        static Target of(Row r) {
            return new Target(r.getLong("node_id"), r.getString("env"), r.getOffsetDateTime("cyc_time").toInstant().toEpochMilli());
        }
    }

    /** What the locking read already learned about the node and the resource group. */
    private record Known(boolean nodeFrozen, boolean groupFree) {
    }

    /** What the locking reads return besides the instance: its node's frozen flag and its resource group's capacity. */
    private static final String LOCKED = "select t.*, (select n.frozen from node n where n.id = t.node_id) as node_frozen, "
            + InstanceEngine.GROUP_FREE.replace("$1", "t.resource_group") + " from task_instance t ";

    private final InstanceEngine engine;
    private final TriggerCommandRecords records;
    private final Outbox outbox;
    private final SchedulerConfig config;

    public TriggerService(InstanceEngine engine, TriggerCommandRecords records, Outbox outbox, SchedulerConfig config) {
        this.engine = engine;
        this.records = records;
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * Applies the commands in order in the unit of work and answers each one's outcome. Three
     * steps: read the decisions of commands seen before; lock every instance the commands name
     * (and their downstream instances) in two statements; decide each command in turn. A command
     * seen before, even earlier in the same list, is answered again without a second effect.
     */
    public Uni<List<TriggerOutcome>> applyAll(UnitOfWork u, List<Received> received) {
        List<TriggerCommand> commands = received.stream().map(Received::command).toList();
        return records.find(u, commands.stream().map(TriggerCommand::commandId).toList())
                .chain(seen -> lockTargets(u, commands).chain(locked -> Multi.createFrom().iterable(received)
                        .onItem().transformToUniAndConcatenate(r -> {
                            // What this command changes belongs to its own trace.
                            u.trace(r.trace());
                            return apply(u, seen, locked, r.command());
                        })
                        .collect().asList()));
    }

    private Uni<TriggerOutcome> apply(UnitOfWork u, Map<UUID, Decision> seen, Map<Target, Row> locked, TriggerCommand cmd) {
        Decision before = seen.get(cmd.commandId());
        if (before == null) {
            before = records.decidedHere(u, cmd.commandId()).orElse(null);
        }
        Uni<TriggerOutcome> outcome = before != null ? Uni.createFrom().item(replay(before)) : decideNew(u, locked, cmd);
        // A federated command's outcome goes back to its region of arrival (docs/federation.md).
        String topic = cmd.federated() ? config.topics().federatedOutcomes() : config.topics().triggerOutcomes();
        return outcome.invoke(o -> outbox.append(u, topic, cmd.commandId().toString(), UUID.randomUUID(), o));
    }

    /**
     * A federated command that reaches its home region only after the trigger retention (a link
     * or the home region was down that long) is refused: its caller was told to retry long ago,
     * and the 24 hours of reference 001 bound how long an accepted trigger may wait.
     */
    private boolean expired(TriggerCommand cmd, Instant now) {
        return cmd.federated() && cmd.issuedAt() != null && cmd.issuedAt().plus(config.trigger().retention()).isBefore(now);
    }

    private Uni<TriggerOutcome> decideNew(UnitOfWork u, Map<Target, Row> locked, TriggerCommand cmd) {
        Row read = locked.get(Target.of(cmd));
        // The row read when the work started holds unless an earlier command of the work changed the instance.
        Uni<Row> row = read != null && !u.wasChanged(read.getLong("id"))
                ? Uni.createFrom().item(matches(cmd, read) ? read : null)
                : findAndLock(u, cmd);
        Uni<TriggerOutcome> decided = expired(cmd, u.now())
                ? refused(u, cmd, null, "RetentionExpired", "the trigger waited longer than " + config.trigger().retention()
                + " to reach its home region (" + cmd.homeRegion() + ") and was dropped")
                : row.chain(r -> decide(u, cmd, r));
        return decided
                .invoke(o -> records.record(u, new Decision(cmd.commandId(), o.taskInstanceId(), o.outcome(), o.code(),
                        abbreviate(o.message()), u.now(), u.now())));
    }

    private Uni<TriggerOutcome> decide(UnitOfWork u, TriggerCommand cmd, Row row) {
        if (row == null) {
            return refused(u, cmd, null, "InstanceNotFound", "no instance of node " + cmd.taskId() + " (" + cmd.env()
                    + ") is scheduled at " + Instant.ofEpochMilli(cmd.triggerTime()));
        }
        Instance i = Instance.of(row);
        Known known = new Known(Boolean.TRUE.equals(row.getBoolean("node_frozen")), row.getBoolean("group_free"));
        if (InstanceEngine.mayAdvance(i)) {
            // Let time-based progress catch up first, so a trigger at the scheduled time fires at
            // once; the row is read again only when that changed it.
            return engine.advanceLocked(u, i, InstanceChange.OP_SCHEDULER, "scheduler", false)
                    .chain(() -> u.wasChanged(i.id())
                            ? engine.lock(u, i.id()).chain(fresh -> evaluate(u, cmd, fresh, null))
                            : evaluate(u, cmd, i, known));
        }
        return evaluate(u, cmd, i, known);
    }

    private Uni<TriggerOutcome> evaluate(UnitOfWork u, TriggerCommand cmd, Instance i, Known known) {
        if (!i.isHttpTrigger()) {
            return refused(u, cmd, i.id(), "NotHttpTriggerNode", "node " + i.nodeId() + " is a " + i.nodeType() + " node, not an HTTP trigger node");
        }
        if (!i.isScheduled()) {
            return refused(u, cmd, i.id(), "InstanceNotTriggerable", "instance " + i.id() + " belongs to a "
                    + (i.dagType() == Instance.DAG_TYPE_BACKFILL ? "backfill" : "manual workflow run")
                    + "; such instances pass without a trigger and cannot be triggered");
        }
        if (cmd.bizDate() != null) {
            return bizDateOf(u, i, cmd.bizDate()).chain(asked -> asked.equals(i.bizDate()) ? evaluateScheduled(u, cmd, i, known)
                    : refused(u, cmd, i.id(), "BizDateMismatch", "BizDate " + asked + " is not the business date of instance "
                    + i.id() + " (" + i.bizDate() + ")"));
        }
        return evaluateScheduled(u, cmd, i, known);
    }

    /** The date a RunTriggerNode's BizDate (an instant) names, in the instance's workflow's time zone. */
    private static Uni<LocalDate> bizDateOf(UnitOfWork u, Instance i, long bizDate) {
        return u.connection().preparedQuery("select time_zone from workflow where id = $1").execute(Tuple.of(i.workflowId()))
                .map(rows -> LocalDate.ofInstant(Instant.ofEpochMilli(bizDate), ZoneId.of(rows.iterator().next().getString("time_zone"))));
    }

    private Uni<TriggerOutcome> evaluateScheduled(UnitOfWork u, TriggerCommand cmd, Instance i, Known known) {
        if (i.triggeredAt() != null) {
            return refused(u, cmd, i.id(), "AlreadyTriggered", "instance " + i.id() + " was already triggered at " + i.triggeredAt());
        }
        if (i.status() == InstanceStatus.SUCCEEDED || i.status() == InstanceStatus.FAILED) {
            return refused(u, cmd, i.id(), "InstanceFinished", "instance " + i.id() + " already finished ("
                    + InstanceStatus.name(i.status(), false) + ") without a trigger");
        }
        Uni<Boolean> isFrozen = known == null ? engine.frozen(u, i) : Uni.createFrom().item(i.frozen() || known.nodeFrozen());
        return isFrozen.chain(frozen -> {
            if (frozen) {
                return refused(u, cmd, i.id(), "InstanceFrozen", "instance " + i.id() + " or its node is frozen");
            }
            if (i.hasRetainedTrigger()) {
                return Uni.createFrom().item(new TriggerOutcome(cmd.commandId(), RETAINED, "AlreadyRetained",
                        "an earlier trigger of instance " + i.id() + " is retained until " + i.triggerExpiresAt(),
                        i.id(), i.triggerExpiresAt().toEpochMilli(), u.now().toEpochMilli(), false));
            }
            Uni<String> blocked = known == null ? engine.blockedReason(u, i)
                    : Uni.createFrom().item(InstanceEngine.blockedReason(i, u.now(), known.groupFree()));
            return blocked.chain(reason -> reason == null ? fire(u, cmd, i) : retain(u, cmd, i, reason));
        });
    }

    private Uni<TriggerOutcome> fire(UnitOfWork u, TriggerCommand cmd, Instance i) {
        return engine.fire(u, i, cmd.commandId()).map(fired -> new TriggerOutcome(cmd.commandId(), TRIGGERED, "Triggered",
                "instance " + i.id() + " was triggered", i.id(), null, u.now().toEpochMilli(), false));
    }

    private Uni<TriggerOutcome> retain(UnitOfWork u, TriggerCommand cmd, Instance i, String reason) {
        Instant until = u.now().plus(config.trigger().retention());
        return engine.retain(u, i, cmd.commandId(), until)
                .replaceWith(new TriggerOutcome(cmd.commandId(), RETAINED, reason, "the trigger is retained until " + until
                        + " and fires when the instance's upstream, scheduled time and resources allow (" + reason + ")",
                        i.id(), until.toEpochMilli(), u.now().toEpochMilli(), false));
    }

    /** The command's instance, locked; null when none. */
    private Uni<Row> findAndLock(UnitOfWork u, TriggerCommand cmd) {
        return u.connection().preparedQuery(LOCKED + "where t.node_id = $1 and t.env = $2 and t.cyc_time = $3 order by t.dag_type limit 1 for update of t")
                .execute(Tuple.of(cmd.taskId(), cmd.env(), utc(Instant.ofEpochMilli(cmd.triggerTime()))))
                .map(rows -> rows.size() == 0 || !matches(cmd, rows.iterator().next()) ? null : rows.iterator().next());
    }

    /**
     * Every existing instance the commands name, locked in id order in one statement (one round
     * trip for the poll instead of one per command); and, in a second statement sent with it,
     * their downstream instances, handed to the unit of work so a trigger that fires releases
     * them without a read of its own.
     */
    private Uni<Map<Target, Row>> lockTargets(UnitOfWork u, List<TriggerCommand> commands) {
        Long[] nodes = new Long[commands.size()];
        String[] envs = new String[commands.size()];
        OffsetDateTime[] times = new OffsetDateTime[commands.size()];
        for (int k = 0; k < commands.size(); k++) {
            TriggerCommand cmd = commands.get(k);
            nodes[k] = cmd.taskId();
            envs[k] = cmd.env();
            times[k] = utc(Instant.ofEpochMilli(cmd.triggerTime()));
        }
        Tuple keys = Tuple.tuple().addArrayOfLong(nodes).addArrayOfString(envs).addArrayOfOffsetDateTime(times);
        String named = "(select * from unnest($1::bigint[], $2::text[], $3::timestamptz[]))";
        Uni<RowSet<Row>> targets = u.connection().preparedQuery(LOCKED + "where (t.node_id, t.env, t.cyc_time) in "
                + named + " order by t.id for update of t").execute(keys);
        Uni<RowSet<Row>> downstream = u.connection().preparedQuery("select d.upstream_instance_id as released_by, t.*, "
                        + "(select count(*) from task_instance_dependency x where x.instance_id = t.id) as upstream_count "
                        + "from task_instance_dependency d join task_instance t on t.id = d.instance_id "
                        + "where d.upstream_instance_id in (select i.id from task_instance i where (i.node_id, i.env, i.cyc_time) in " + named + ") "
                        + "order by t.id for update of t")
                .execute(keys);
        return Uni.combine().all().unis(targets, downstream).asTuple().map(both -> {
            Map<Target, Row> locked = new HashMap<>();
            List<Long> ids = new ArrayList<>();
            both.getItem1().forEach(r -> {
                // A backfill's instance may share the scheduled one's node and time: the scheduled one is meant.
                locked.merge(Target.of(r), r, (a, b) -> a.getInteger("dag_type") == Instance.DAG_TYPE_SCHEDULED ? a : b);
                ids.add(r.getLong("id"));
            });
            u.downstreamLocked(ids, both.getItem2());
            return locked;
        });
    }

    /** A RunTriggerNode names the workspace too; an instance of another workspace is not the one meant. */
    private static boolean matches(TriggerCommand cmd, Row r) {
        return cmd.appId() == null || r.getLong("workspace_id") == cmd.appId().longValue();
    }

    private static Uni<TriggerOutcome> refused(UnitOfWork u, TriggerCommand cmd, Long instanceId, String code, String message) {
        return Uni.createFrom().item(new TriggerOutcome(cmd.commandId(), REFUSED, code, message, instanceId, null, u.now().toEpochMilli(), false));
    }

    /** A command seen before: its current outcome, without a second effect. */
    private static TriggerOutcome replay(Decision d) {
        String outcome = switch (d.outcome()) {
            case "TRIGGERED" -> TRIGGERED;
            case "RETAINED" -> RETAINED;
            default -> REFUSED; // REFUSED, or EXPIRED: a retained trigger that was dropped
        };
        return new TriggerOutcome(d.commandId(), outcome, d.code(), d.message(), d.instanceId(), null, d.decidedAt().toEpochMilli(), true);
    }

    private static String abbreviate(String message) {
        return message.length() <= 500 ? message : message.substring(0, 500);
    }
}
