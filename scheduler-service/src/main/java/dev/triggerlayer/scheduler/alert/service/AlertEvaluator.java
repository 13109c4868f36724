package dev.triggerlayer.scheduler.alert.service;

import dev.triggerlayer.scheduler.alert.model.AlertRecord;
import dev.triggerlayer.scheduler.alert.model.RemindType;
import dev.triggerlayer.scheduler.alert.model.RemindUnit;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Evaluates the alert rules from the scheduler's own tables, every {@code scheduler.alerts.interval}
 * (docs/alerts.md). Periodic rather than at each state change: TIMEOUT, UNFINISHED and the
 * resource-group rules are conditions of time and of totals that need a sweep anyway, and the
 * state machine (the trigger path) stays untouched.
 *
 * <p>Once per instance and rule: a pass inserts an {@code alert_fired} row per (rule, instance)
 * with {@code on conflict do nothing} and writes an alert only for the rows it inserted, with the
 * alert's outbox record in the same transaction; a replica evaluating at the same time inserts
 * nothing for those rows. Resource-group rules are evaluated under {@code FOR UPDATE SKIP LOCKED}
 * on the rule, one replica at a time: an alert opens an episode row, and the row is deleted (the
 * rule re-armed) at the first pass that finds the condition cleared.
 */
@ApplicationScoped
public class AlertEvaluator {

    private static final Logger LOG = Logger.getLogger(AlertEvaluator.class);
    static final String EPISODE = "episode";
    private static final String INSTANCE = "instance/";

    private final Transactions transactions;
    private final Outbox outbox;
    private final Clock clock;
    private final SchedulerConfig.Alerts config;
    private final String topic;
    private final Duration markerRetention;

    public AlertEvaluator(Transactions transactions, Outbox outbox, Clock clock, SchedulerConfig config) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.clock = clock;
        this.config = config.alerts();
        this.topic = config.topics().alerts();
        // A marker outlives its instance (deleted by the expiry job past the retention) by two days.
        this.markerRetention = config.expiry().retention().plusDays(2);
    }

    @Scheduled(every = "${scheduler.alerts.interval:30s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return evaluate()
                .onFailure().invoke(e -> LOG.warnf("alert evaluation failed, the next pass retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass at the clock's current time; returns the alerts it wrote. */
    public Uni<List<AlertRecord>> evaluate() {
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            return transactions.run(now, this::nodeRules)
                    .chain(nodes -> transactions.run(now, this::groupRules).map(groups -> {
                        List<AlertRecord> all = new ArrayList<>(nodes);
                        all.addAll(groups);
                        return all;
                    }));
        });
    }

    /** A task instance a node rule would fire for. */
    private record Candidate(long ruleId, long taskId, long nodeId) {
    }

    private Uni<List<AlertRecord>> nodeRules(UnitOfWork u) {
        Instant now = u.now();
        Instant since = now.minus(config.lookback());
        String sql = "select r.id as rule_id, r.type, r.created_at, r.unfinished_time, t.id as task_id, t.node_id, t.cyc_time, "
                // An UNFINISHED deadline is on the local day of the scheduled time: within 26 h of it (a day and a DST hour).
                + "case when r.type = 'UNFINISHED' then (select w.time_zone from workflow w where w.id = t.workflow_id) end as time_zone "
                + "from alert_rule r join task_instance t on t.node_id = any(r.node_ids) and t.workspace_id = r.workspace_id "
                + "where r.unit = 'NODE' "
                + "and ((r.type = 'ERROR' and t.status = 5 and t.finish_time >= greatest(r.created_at, $2)) "
                + "  or (r.type = 'FINISHED' and t.status = 6 and t.finish_time >= greatest(r.created_at, $2)) "
                + "  or (r.type = 'TIMEOUT' and t.status = 4 and t.begin_running_time <= $1::timestamptz - r.timeout_minutes * interval '1 minute') "
                + "  or (r.type = 'UNFINISHED' and t.status <> 6 and t.cyc_time > greatest(r.created_at, $2::timestamptz) - interval '26 hours' "
                + "      and t.cyc_time < $1::timestamptz + interval '26 hours')) "
                + "and not exists (select 1 from alert_fired f where f.rule_id = r.id and f.subject = 'instance/' || t.id) "
                // Key-share: a rule deleted meanwhile waits for this pass, so its markers never lose their rule.
                + "order by r.id, t.id for key share of r";
        return u.connection().preparedQuery("delete from alert_fired where subject <> $1 and fired_at < $2")
                .execute(Tuple.of(EPISODE, utc(now.minus(markerRetention))))
                .chain(() -> u.connection().preparedQuery(sql).execute(Tuple.of(utc(now), utc(since))))
                .chain(rows -> {
                    List<Candidate> due = new ArrayList<>();
                    for (Row r : rows) {
                        if (r.getString("type").equals(RemindType.UNFINISHED.name()) && !deadlinePassed(r, now, since)) {
                            continue;
                        }
                        due.add(new Candidate(r.getLong("rule_id"), r.getLong("task_id"), r.getLong("node_id")));
                    }
                    return due.isEmpty() ? Uni.createFrom().item(List.<AlertRecord>of()) : fire(u, due);
                });
    }

    /** UNFINISHED: the rule's time of day on the instance's scheduled day (workflow zone) lies in [max(created, since), now]. */
    private static boolean deadlinePassed(Row r, Instant now, Instant since) {
        ZoneId zone;
        try {
            zone = ZoneId.of(r.getString("time_zone"));
        } catch (RuntimeException e) {
            zone = ZoneOffset.UTC; // the workflow validator accepts only valid zones; never fail a pass over one row
        }
        LocalTime at = r.getLocalTime("unfinished_time");
        Instant deadline = r.getOffsetDateTime("cyc_time").toInstant().atZone(zone).toLocalDate().atTime(at).atZone(zone).toInstant();
        Instant created = r.getOffsetDateTime("created_at").toInstant();
        Instant from = created.isAfter(since) ? created : since;
        return !deadline.isAfter(now) && !deadline.isBefore(from);
    }

    /** Marks the candidates fired (those another pass has not) and writes one alert per rule and chunk of them. */
    private Uni<List<AlertRecord>> fire(UnitOfWork u, List<Candidate> due) {
        Map<Long, List<List<Candidate>>> chunks = new LinkedHashMap<>();
        for (Candidate c : due) {
            List<List<Candidate>> ofRule = chunks.computeIfAbsent(c.ruleId(), k -> new ArrayList<>());
            if (ofRule.isEmpty() || ofRule.get(ofRule.size() - 1).size() >= config.maxInstancesPerAlert()) {
                ofRule.add(new ArrayList<>());
            }
            ofRule.get(ofRule.size() - 1).add(c);
        }
        List<Long> rules = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        List<UUID> alerts = new ArrayList<>();
        Map<UUID, List<Candidate>> byAlert = new LinkedHashMap<>();
        chunks.values().forEach(ofRule -> ofRule.forEach(chunk -> {
            UUID alert = UUID.randomUUID();
            byAlert.put(alert, chunk);
            for (Candidate c : chunk) {
                rules.add(c.ruleId());
                subjects.add(INSTANCE + c.taskId());
                alerts.add(alert);
            }
        }));
        return u.connection().preparedQuery("insert into alert_fired (rule_id, subject, alert_id, fired_at) "
                        + "select r, s, a, $4 from unnest($1::bigint[], $2::text[], $3::uuid[]) as x(r, s, a) "
                        + "on conflict do nothing returning rule_id, subject")
                .execute(Tuple.of(rules.toArray(new Long[0]), subjects.toArray(new String[0]), alerts.toArray(new UUID[0]), utc(u.now())))
                .chain(inserted -> {
                    Set<String> mine = new HashSet<>();
                    inserted.forEach(r -> mine.add(r.getLong("rule_id") + "/" + r.getString("subject")));
                    return ruleRows(u, chunks.keySet()).map(ruleRows -> {
                        List<AlertRecord> out = new ArrayList<>();
                        byAlert.forEach((alert, chunk) -> {
                            List<Candidate> fired = chunk.stream().filter(c -> mine.contains(c.ruleId() + "/" + INSTANCE + c.taskId())).toList();
                            if (!fired.isEmpty()) {
                                Row rule = ruleRows.get(fired.get(0).ruleId());
                                out.add(append(u, new AlertRecord(alert, rule.getLong("id"), rule.getString("name"), rule.getString("unit"),
                                        rule.getString("type"), rule.getLong("tenant_id"), rule.getLong("workspace_id"), u.now().toEpochMilli(),
                                        fired.stream().map(Candidate::nodeId).toList(), fired.stream().map(Candidate::taskId).toList(),
                                        null, null, null, null)));
                            }
                        });
                        return out;
                    });
                });
    }

    private static Uni<Map<Long, Row>> ruleRows(UnitOfWork u, Set<Long> ids) {
        return u.connection().preparedQuery("select * from alert_rule where id = any($1)").execute(Tuple.of((Object) ids.toArray(new Long[0])))
                .map(rows -> {
                    Map<Long, Row> byId = new HashMap<>();
                    rows.forEach(r -> byId.put(r.getLong("id"), r));
                    return byId;
                });
    }

    /**
     * Resource-group rules, each evaluated by one replica at a time (the rule row locked, others
     * skipped): a condition that holds with no open episode fires and opens one; an open episode
     * whose condition cleared is closed, so the next time it holds fires again.
     */
    private Uni<List<AlertRecord>> groupRules(UnitOfWork u) {
        return u.connection().preparedQuery("select r.*, g.slots, "
                        + "(select count(*) from task_instance t where t.resource_group = r.resource_group and t.status = 4) as running, "
                        + "(select count(*) from task_instance t where t.resource_group = r.resource_group and t.status = 3) as waiting, "
                        + "exists (select 1 from alert_fired f where f.rule_id = r.id and f.subject = $1) as open "
                        + "from alert_rule r left join resource_group g on g.name = r.resource_group "
                        + "where r.unit = $2 order by r.id for update of r skip locked")
                .execute(Tuple.of(EPISODE, RemindUnit.GATEWAY_RES.name()))
                .chain(rows -> {
                    List<Row> opening = new ArrayList<>();
                    List<Long> closing = new ArrayList<>();
                    for (Row r : rows) {
                        boolean holds = holds(r);
                        boolean open = r.getBoolean("open");
                        if (holds && !open) {
                            opening.add(r);
                        } else if (!holds && open) {
                            closing.add(r.getLong("id"));
                        }
                    }
                    Uni<Void> close = closing.isEmpty() ? Uni.createFrom().voidItem()
                            : u.connection().preparedQuery("delete from alert_fired where rule_id = any($1) and subject = $2")
                                    .execute(Tuple.of(closing.toArray(new Long[0]), EPISODE)).replaceWithVoid();
                    return close.chain(() -> open(u, opening));
                });
    }

    /** RES_GROUP_THRESHOLD: in use ≥ usagePercent of the slots; RES_GROUP_WAIT_AMOUNT: waiting > waitingCount. A deleted group holds nothing. */
    private static boolean holds(Row r) {
        Integer slots = r.getInteger("slots");
        if (slots == null) {
            return false;
        }
        if (r.getString("type").equals(RemindType.RES_GROUP_THRESHOLD.name())) {
            return r.getLong("running") * 100 >= (long) r.getInteger("usage_percent") * slots;
        }
        return r.getLong("waiting") > r.getInteger("waiting_count");
    }

    private Uni<List<AlertRecord>> open(UnitOfWork u, List<Row> opening) {
        if (opening.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<Long, UUID> alerts = new LinkedHashMap<>();
        opening.forEach(r -> alerts.put(r.getLong("id"), UUID.randomUUID()));
        return u.connection().preparedQuery("insert into alert_fired (rule_id, subject, alert_id, fired_at) "
                        + "select r, $2, a, $4 from unnest($1::bigint[], $3::uuid[]) as x(r, a) on conflict do nothing returning rule_id")
                .execute(Tuple.of(alerts.keySet().toArray(new Long[0]), EPISODE, alerts.values().toArray(new UUID[0]), utc(u.now())))
                .map(inserted -> {
                    Set<Long> mine = new HashSet<>();
                    inserted.forEach(r -> mine.add(r.getLong("rule_id")));
                    List<AlertRecord> out = new ArrayList<>();
                    for (Row r : opening) {
                        long id = r.getLong("id");
                        if (mine.contains(id)) {
                            out.add(append(u, new AlertRecord(alerts.get(id), id, r.getString("name"), r.getString("unit"), r.getString("type"),
                                    r.getLong("tenant_id"), r.getLong("workspace_id"), u.now().toEpochMilli(), null, null,
                                    r.getString("resource_group"), r.getInteger("slots"), r.getLong("running"), r.getLong("waiting"))));
                        }
                    }
                    return out;
                });
    }

    private AlertRecord append(UnitOfWork u, AlertRecord record) {
        outbox.append(u, topic, String.valueOf(record.remindId()), record.alertId(), record);
        LOG.debugf("alert rule %d (%s) fired: alert %s", record.remindId(), record.remindType(), record.alertId());
        return record;
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
