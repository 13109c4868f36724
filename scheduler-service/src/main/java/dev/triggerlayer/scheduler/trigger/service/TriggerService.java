package dev.triggerlayer.scheduler.trigger.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.engine.Batch;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.instance.model.InstanceStatus;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.trigger.model.TriggerCommand;
import dev.triggerlayer.scheduler.trigger.model.TriggerOutcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.REFUSED;
import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.RETAINED;
import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.TRIGGERED;

/**
 * Applies trigger commands (reference 001), a poll's worth in one transaction: the instance must exist, be an HTTP
 * trigger node instance that was not triggered yet and is not frozen. It fires when its upstream
 * succeeded, its time arrived and its resource group has a free slot; otherwise the trigger is
 * retained and fires when those hold, or is dropped after the retention (24 h).
 */
@ApplicationScoped
public class TriggerService {

    private final InstanceEngine engine;
    private final Outbox outbox;
    private final SchedulerConfig config;

    public TriggerService(InstanceEngine engine, Outbox outbox, SchedulerConfig config) {
        this.engine = engine;
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * Applies the commands in order in the caller's transaction, as one {@linkplain InstanceEngine#batched batch},
     * and answers each one's outcome (a command seen before, even earlier in the same list, is
     * answered again without a second effect).
     */
    public Uni<List<TriggerOutcome>> applyAll(SqlConnection c, List<TriggerCommand> commands, Instant now) {
        UUID[] ids = commands.stream().map(TriggerCommand::commandId).toArray(UUID[]::new);
        return c.preparedQuery("select * from trigger_command where command_id = any($1)").execute(Tuple.tuple().addArrayOfUUID(ids))
                .chain(rows -> {
                    Map<UUID, TriggerOutcome> seen = new HashMap<>();
                    rows.forEach(r -> seen.put(r.getUUID("command_id"), replay(r.getUUID("command_id"), r.getLong("instance_id"),
                            r.getString("outcome"), r.getString("code"), r.getString("message"), r.getOffsetDateTime("decided_at").toInstant())));
                    return engine.batched(c, now, batch -> lockTargets(c, batch, commands).chain(locked -> Multi.createFrom().iterable(commands)
                            .onItem().transformToUniAndConcatenate(cmd -> apply(c, batch, seen, locked, cmd, now))
                            .collect().asList()));
                });
    }

    private Uni<TriggerOutcome> apply(SqlConnection c, Batch batch, Map<UUID, TriggerOutcome> seen, Map<String, Row> locked,
                                      TriggerCommand cmd, Instant now) {
        Uni<TriggerOutcome> outcome;
        if (seen.containsKey(cmd.commandId())) {
            outcome = Uni.createFrom().item(seen.get(cmd.commandId()));
        } else if (batch.command(cmd.commandId()).isPresent()) {
            Batch.CommandRecord r = batch.command(cmd.commandId()).get();
            outcome = Uni.createFrom().item(replay(r.commandId(), r.instanceId(), r.outcome(), r.code(), r.message(), r.decidedAt()));
        } else {
            Row before = locked.get(target(cmd.taskId(), cmd.env(), cmd.triggerTime()));
            // The row read at the start of the batch holds unless an earlier command of the batch changed the instance.
            Uni<Row> row = before != null && !batch.wasChanged(before.getLong("id"))
                    ? Uni.createFrom().item(matches(cmd, before) ? before : null)
                    : findAndLock(c, cmd);
            outcome = row.chain(r -> decide(c, batch, cmd, r, now)).invoke(o -> batch.record(new Batch.CommandRecord(cmd.commandId(), o.taskInstanceId(),
                    o.outcome(), o.code(), abbreviate(o.message()), now, now)));
        }
        return outcome.call(o -> outbox.append(c, config.topics().triggerOutcomes(), cmd.commandId().toString(), UUID.randomUUID(), o, now));
    }

    private Uni<TriggerOutcome> decide(SqlConnection c, Batch batch, TriggerCommand cmd, Row row, Instant now) {
        if (row == null) {
            return refused(cmd, null, "InstanceNotFound", "no instance of node " + cmd.taskId() + " (" + cmd.env()
                    + ") is scheduled at " + Instant.ofEpochMilli(cmd.triggerTime()), now);
        }
        Instance i = Instance.of(row);
        Known known = new Known(Boolean.TRUE.equals(row.getBoolean("node_frozen")), row.getBoolean("group_free"));
        if (InstanceEngine.mayAdvance(i)) {
            // Let time-based progress catch up first, so a trigger at the scheduled time fires at
            // once; the row is read again only when that changed it.
            return engine.advanceLocked(c, i, now, InstanceChange.OP_SCHEDULER, "scheduler", false)
                    .chain(() -> batch.wasChanged(i.id())
                            ? engine.lock(c, i.id()).chain(fresh -> evaluate(c, cmd, fresh, null, now))
                            : evaluate(c, cmd, i, known, now));
        }
        return evaluate(c, cmd, i, known, now);
    }

    /** What the locking read already learned about the node and the resource group. */
    private record Known(boolean nodeFrozen, boolean groupFree) {
    }

    private Uni<TriggerOutcome> evaluate(SqlConnection c, TriggerCommand cmd, Instance i, Known known, Instant now) {
        if (!i.isHttpTrigger()) {
            return refused(cmd, i.id(), "NotHttpTriggerNode", "node " + i.nodeId() + " is a " + i.nodeType() + " node, not an HTTP trigger node", now);
        }
        if (i.triggeredAt() != null) {
            return refused(cmd, i.id(), "AlreadyTriggered", "instance " + i.id() + " was already triggered at " + i.triggeredAt(), now);
        }
        if (i.status() == InstanceStatus.SUCCEEDED || i.status() == InstanceStatus.FAILED) {
            return refused(cmd, i.id(), "InstanceFinished", "instance " + i.id() + " already finished ("
                    + InstanceStatus.name(i.status(), false) + ") without a trigger", now);
        }
        Uni<Boolean> isFrozen = known == null ? engine.frozen(c, i) : Uni.createFrom().item(i.frozen() || known.nodeFrozen());
        return isFrozen.chain(frozen -> {
            if (frozen) {
                return refused(cmd, i.id(), "InstanceFrozen", "instance " + i.id() + " or its node is frozen", now);
            }
            if (i.hasRetainedTrigger()) {
                return Uni.createFrom().item(new TriggerOutcome(cmd.commandId(), RETAINED, "AlreadyRetained",
                        "an earlier trigger of instance " + i.id() + " is retained until " + i.triggerExpiresAt(),
                        i.id(), i.triggerExpiresAt().toEpochMilli(), now.toEpochMilli(), false));
            }
            Uni<String> blocked = known == null ? engine.blockedReason(c, i, now)
                    : Uni.createFrom().item(InstanceEngine.blockedReason(i, now, known.groupFree()));
            return blocked.chain(reason -> reason == null
                    ? engine.fire(c, i, cmd.commandId(), now).map(fired -> new TriggerOutcome(cmd.commandId(), TRIGGERED, "Triggered",
                            "instance " + i.id() + " was triggered", i.id(), null, now.toEpochMilli(), false))
                    : retain(c, cmd, i, reason, now));
        });
    }

    private Uni<TriggerOutcome> retain(SqlConnection c, TriggerCommand cmd, Instance i, String reason, Instant now) {
        Instant until = now.plus(config.trigger().retention());
        engine.markChanged(c, i.id());
        return c.preparedQuery("update task_instance set trigger_command_id = $2, trigger_retained_at = $3, trigger_expires_at = $4, "
                        + "trigger_dropped_at = null, modify_time = $3 where id = $1")
                .execute(Tuple.of(i.id(), cmd.commandId(), now.atOffset(ZoneOffset.UTC), until.atOffset(ZoneOffset.UTC)))
                .replaceWith(new TriggerOutcome(cmd.commandId(), RETAINED, reason, "the trigger is retained until " + until
                        + " and fires when the instance's upstream, scheduled time and resources allow (" + reason + ")",
                        i.id(), until.toEpochMilli(), now.toEpochMilli(), false));
    }

    /** What the locking reads return besides the instance: its node's frozen flag and its resource group's capacity. */
    private static final String LOCKED = "select t.*, (select n.frozen from node n where n.id = t.node_id) as node_frozen, "
            + InstanceEngine.GROUP_FREE.replace("$1", "t.resource_group") + " from task_instance t ";

    /** The command's instance, locked; null when none. */
    private Uni<Row> findAndLock(SqlConnection c, TriggerCommand cmd) {
        return c.preparedQuery(LOCKED + "where t.node_id = $1 and t.env = $2 and t.cyc_time = $3 for update of t")
                .execute(Tuple.of(cmd.taskId(), cmd.env(), Instant.ofEpochMilli(cmd.triggerTime()).atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 || !matches(cmd, rows.iterator().next()) ? null : rows.iterator().next());
    }

    /**
     * Every existing instance the commands name, locked in id order in one statement (one round
     * trip for the batch instead of one per command), by {@link #target}; and, in a second
     * statement sent with it, their downstream instances, handed to the batch so a trigger that
     * fires releases them without a read of its own.
     */
    private Uni<Map<String, Row>> lockTargets(SqlConnection c, Batch batch, List<TriggerCommand> commands) {
        Long[] nodes = new Long[commands.size()];
        String[] envs = new String[commands.size()];
        OffsetDateTime[] times = new OffsetDateTime[commands.size()];
        for (int k = 0; k < commands.size(); k++) {
            TriggerCommand cmd = commands.get(k);
            nodes[k] = cmd.taskId();
            envs[k] = cmd.env();
            times[k] = Instant.ofEpochMilli(cmd.triggerTime()).atOffset(ZoneOffset.UTC);
        }
        Tuple keys = Tuple.tuple().addArrayOfLong(nodes).addArrayOfString(envs).addArrayOfOffsetDateTime(times);
        String named = "(select * from unnest($1::bigint[], $2::text[], $3::timestamptz[]))";
        Uni<RowSet<Row>> targets = c.preparedQuery(LOCKED + "where (t.node_id, t.env, t.cyc_time) in "
                + named + " order by t.id for update of t").execute(keys);
        Uni<RowSet<Row>> downstream = c.preparedQuery("select d.upstream_instance_id as released_by, t.*, "
                        + "(select count(*) from task_instance_dependency u where u.instance_id = t.id) as upstream_count "
                        + "from task_instance_dependency d join task_instance t on t.id = d.instance_id "
                        + "where d.upstream_instance_id in (select u.id from task_instance u where (u.node_id, u.env, u.cyc_time) in " + named + ") "
                        + "order by t.id for update of t")
                .execute(keys);
        return Uni.combine().all().unis(targets, downstream).asTuple().map(both -> {
            Map<String, Row> locked = new HashMap<>();
            List<Long> ids = new ArrayList<>();
            both.getItem1().forEach(r -> {
                locked.put(target(r.getLong("node_id"), r.getString("env"), r.getOffsetDateTime("cyc_time").toInstant().toEpochMilli()), r);
                ids.add(r.getLong("id"));
            });
            batch.downstreamLocked(ids, both.getItem2());
            return locked;
        });
    }

    private static String target(long nodeId, String env, long cycTimeMillis) {
        return env + "/" + nodeId + "/" + cycTimeMillis;
    }

    /** A RunTriggerNode names the workspace too; an instance of another workspace is not the one meant. */
    private static boolean matches(TriggerCommand cmd, Row r) {
        return cmd.appId() == null || r.getLong("workspace_id") == cmd.appId().longValue();
    }

    private static Uni<TriggerOutcome> refused(TriggerCommand cmd, Long instanceId, String code, String message, Instant now) {
        return Uni.createFrom().item(new TriggerOutcome(cmd.commandId(), REFUSED, code, message, instanceId, null, now.toEpochMilli(), false));
    }

    /** A command seen before: its current outcome, without a second effect. */
    private static TriggerOutcome replay(UUID commandId, Long instanceId, String stored, String code, String message, Instant decidedAt) {
        String outcome = switch (stored) {
            case "TRIGGERED" -> TRIGGERED;
            case "RETAINED" -> RETAINED;
            default -> REFUSED; // REFUSED, or EXPIRED: a retained trigger that was dropped
        };
        return new TriggerOutcome(commandId, outcome, code, message, instanceId, null, decidedAt.toEpochMilli(), true);
    }

    private static String abbreviate(String message) {
        return message.length() <= 500 ? message : message.substring(0, 500);
    }
}
