package dev.triggerlayer.scheduler.trigger.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.model.InstanceChange;
import dev.triggerlayer.scheduler.instance.model.InstanceStatus;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.trigger.model.TriggerCommand;
import dev.triggerlayer.scheduler.trigger.model.TriggerOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.REFUSED;
import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.RETAINED;
import static dev.triggerlayer.scheduler.trigger.model.TriggerOutcome.TRIGGERED;

/**
 * Applies a trigger command in one transaction (reference 001): the instance must exist, be an HTTP
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

    public Uni<TriggerOutcome> apply(SqlConnection c, TriggerCommand cmd, Instant now) {
        return c.preparedQuery("select * from trigger_command where command_id = $1").execute(Tuple.of(cmd.commandId()))
                .chain(seen -> seen.size() > 0
                        ? Uni.createFrom().item(replay(seen.iterator().next()))
                        : decide(c, cmd, now).call(outcome -> record(c, cmd, outcome, now)))
                .call(outcome -> outbox.append(c, config.topics().triggerOutcomes(), cmd.commandId().toString(),
                        UUID.randomUUID(), outcome, now));
    }

    private Uni<TriggerOutcome> decide(SqlConnection c, TriggerCommand cmd, Instant now) {
        return findInstance(c, cmd).chain(id -> {
            if (id == null) {
                return refused(cmd, null, "InstanceNotFound", "no instance of node " + cmd.taskId() + " (" + cmd.env()
                        + ") is scheduled at " + Instant.ofEpochMilli(cmd.triggerTime()), now);
            }
            // Let time-based progress catch up first, so a trigger at the scheduled time fires at once.
            return engine.advance(c, id, now, InstanceChange.OP_SCHEDULER, "scheduler")
                    .chain(() -> engine.lock(c, id))
                    .chain(i -> evaluate(c, cmd, i, now));
        });
    }

    private Uni<TriggerOutcome> evaluate(SqlConnection c, TriggerCommand cmd, Instance i, Instant now) {
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
        return engine.frozen(c, i).chain(frozen -> {
            if (frozen) {
                return refused(cmd, i.id(), "InstanceFrozen", "instance " + i.id() + " or its node is frozen", now);
            }
            if (i.hasRetainedTrigger()) {
                return Uni.createFrom().item(new TriggerOutcome(cmd.commandId(), RETAINED, "AlreadyRetained",
                        "an earlier trigger of instance " + i.id() + " is retained until " + i.triggerExpiresAt(),
                        i.id(), i.triggerExpiresAt().toEpochMilli(), now.toEpochMilli(), false));
            }
            return engine.blockedReason(c, i, now).chain(reason -> reason == null
                    ? engine.fire(c, i, cmd.commandId(), now).map(fired -> new TriggerOutcome(cmd.commandId(), TRIGGERED, "Triggered",
                            "instance " + i.id() + " was triggered", i.id(), null, now.toEpochMilli(), false))
                    : retain(c, cmd, i, reason, now));
        });
    }

    private Uni<TriggerOutcome> retain(SqlConnection c, TriggerCommand cmd, Instance i, String reason, Instant now) {
        Instant until = now.plus(config.trigger().retention());
        return c.preparedQuery("update task_instance set trigger_command_id = $2, trigger_retained_at = $3, trigger_expires_at = $4, "
                        + "trigger_dropped_at = null, modify_time = $3 where id = $1")
                .execute(Tuple.of(i.id(), cmd.commandId(), now.atOffset(ZoneOffset.UTC), until.atOffset(ZoneOffset.UTC)))
                .replaceWith(new TriggerOutcome(cmd.commandId(), RETAINED, reason, "the trigger is retained until " + until
                        + " and fires when the instance's upstream, scheduled time and resources allow (" + reason + ")",
                        i.id(), until.toEpochMilli(), now.toEpochMilli(), false));
    }

    private Uni<Long> findInstance(SqlConnection c, TriggerCommand cmd) {
        return c.preparedQuery("select id, workspace_id, biz_date from task_instance where node_id = $1 and env = $2 and cyc_time = $3")
                .execute(Tuple.of(cmd.taskId(), cmd.env(), Instant.ofEpochMilli(cmd.triggerTime()).atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    if (cmd.appId() != null && r.getLong("workspace_id") != cmd.appId().longValue()) {
                        return null;
                    }
                    return r.getLong("id");
                });
    }

    private static Uni<TriggerOutcome> refused(TriggerCommand cmd, Long instanceId, String code, String message, Instant now) {
        return Uni.createFrom().item(new TriggerOutcome(cmd.commandId(), REFUSED, code, message, instanceId, null, now.toEpochMilli(), false));
    }

    private Uni<Void> record(SqlConnection c, TriggerCommand cmd, TriggerOutcome outcome, Instant now) {
        return c.preparedQuery("insert into trigger_command (command_id, instance_id, outcome, code, message, received_at, decided_at) "
                        + "values ($1, $2, $3, $4, $5, $6, $6)")
                .execute(Tuple.from(new Object[] {cmd.commandId(), outcome.taskInstanceId(), outcome.outcome(), outcome.code(),
                        abbreviate(outcome.message()), now.atOffset(ZoneOffset.UTC)}))
                .replaceWithVoid();
    }

    /** A command seen before: its current outcome, without a second effect. */
    private static TriggerOutcome replay(Row r) {
        String stored = r.getString("outcome");
        String outcome = switch (stored) {
            case "TRIGGERED" -> TRIGGERED;
            case "RETAINED" -> RETAINED;
            default -> REFUSED; // REFUSED, or EXPIRED: a retained trigger that was dropped
        };
        return new TriggerOutcome(r.getUUID("command_id"), outcome, r.getString("code"), r.getString("message"),
                r.getLong("instance_id"), null, r.getOffsetDateTime("decided_at").toInstant().toEpochMilli(), true);
    }

    private static String abbreviate(String message) {
        return message.length() <= 500 ? message : message.substring(0, 500);
    }
}
