package dev.triggerlayer.scheduler.alert.service;

import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.alert.model.AlertRuleInput;
import dev.triggerlayer.scheduler.alert.model.AlertRuleView;
import dev.triggerlayer.scheduler.alert.model.RemindType;
import dev.triggerlayer.scheduler.alert.model.RemindUnit;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Alert rules of a workspace (docs/alerts.md): created, listed, read and deleted by operators.
 * A rule is checked against what the scheduler knows when it is created (its nodes are deployed
 * nodes of the workspace, its resource group exists); it is never changed afterwards (delete and
 * create another), so what fired for it stays meaningful.
 */
@ApplicationScoped
public class AlertRules {

    private static final java.util.regex.Pattern GROUP = java.util.regex.Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private final Transactions transactions;

    public AlertRules(Transactions transactions) {
        this.transactions = transactions;
    }

    public Uni<AlertRuleView> create(AlertRuleInput in, String operator) {
        RemindUnit unit = RemindUnit.parse(in.remindUnit()).orElseThrow(() ->
                new InvalidInputException("remindUnit", "'" + shorten(in.remindUnit()) + "' is not supported: one of NODE, GATEWAY_RES"));
        RemindType type = RemindType.parse(in.remindType()).orElseThrow(() ->
                new InvalidInputException("remindType", "'" + shorten(in.remindType()) + "' is not supported: for " + unit + " one of "
                        + String.join(", ", RemindType.of(unit))));
        if (type.unit != unit) {
            throw new InvalidInputException("remindType", type + " is a " + type.unit + " type: for " + unit + " one of "
                    + String.join(", ", RemindType.of(unit)));
        }
        checkParameters(in, type);
        List<Long> nodeIds = in.nodeIds() == null ? null : List.copyOf(new LinkedHashSet<>(in.nodeIds()));
        return transactions.run(u -> (unit == RemindUnit.NODE ? checkNodes(u, in, nodeIds) : dev.triggerlayer.scheduler.run.repository.ResourceGroups.requireExists(u.connection(), in.resourceGroup()))
                        .chain(() -> u.connection().preparedQuery("insert into alert_rule (id, tenant_id, workspace_id, name, unit, type, node_ids, "
                                        + "resource_group, timeout_minutes, unfinished_time, usage_percent, waiting_count, created_by, created_at) "
                                        + "values (nextval('entity_id_seq'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                                        + "on conflict (workspace_id, name) do nothing returning *")
                                .execute(Tuple.from(new Object[] {in.tenantId(), in.workspaceId(), in.remindName().strip(), unit.name(), type.name(),
                                        nodeIds == null ? null : nodeIds.toArray(new Long[0]), in.resourceGroup(), in.timeoutMinutes(),
                                        in.unfinishedTime() == null ? null : LocalTime.parse(in.unfinishedTime()), in.usagePercent(),
                                        in.waitingCount(), operator, u.now().atOffset(ZoneOffset.UTC)})))
                        .map(rows -> {
                            if (rows.size() == 0) {
                                throw new ConflictException("workspace " + in.workspaceId() + " already has an alert rule named '"
                                        + shorten(in.remindName().strip()) + "'");
                            }
                            return view(rows.iterator().next());
                        }));
    }

    public Uni<AlertRuleView> get(long id) {
        return transactions.run(u -> u.connection().preparedQuery("select * from alert_rule where id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("alert rule", id);
                    }
                    return view(rows.iterator().next());
                }));
    }

    public Uni<List<AlertRuleView>> list(long workspaceId) {
        return transactions.run(u -> u.connection().preparedQuery("select * from alert_rule where workspace_id = $1 order by id")
                .execute(Tuple.of(workspaceId))
                .map(rows -> {
                    List<AlertRuleView> out = new ArrayList<>();
                    rows.forEach(r -> out.add(view(r)));
                    return out;
                }));
    }

    /** Deletes the rule with what it fired for; an alert already in the outbox still goes out. */
    public Uni<Void> delete(long id) {
        return transactions.run(u -> u.connection().preparedQuery("delete from alert_rule where id = $1").execute(Tuple.of(id))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("alert rule", id);
                    }
                })
                .replaceWithVoid());
    }

    /** Each type's own parameters are required, and every other one must be absent. */
    private static void checkParameters(AlertRuleInput in, RemindType type) {
        require("nodeIds", in.nodeIds(), type.unit == RemindUnit.NODE, type);
        require("timeoutMinutes", in.timeoutMinutes(), type == RemindType.TIMEOUT, type);
        require("unfinishedTime", in.unfinishedTime(), type == RemindType.UNFINISHED, type);
        require("resourceGroup", in.resourceGroup(), type.unit == RemindUnit.GATEWAY_RES, type);
        require("usagePercent", in.usagePercent(), type == RemindType.RES_GROUP_THRESHOLD, type);
        require("waitingCount", in.waitingCount(), type == RemindType.RES_GROUP_WAIT_AMOUNT, type);
        if (in.resourceGroup() != null && !GROUP.matcher(in.resourceGroup()).matches()) {
            throw new InvalidInputException("resourceGroup", "a resource group name has 1-64 letters, digits, '_', '.', '-'");
        }
    }

    private static void require(String field, Object value, boolean used, RemindType type) {
        if (used && value == null) {
            throw new InvalidInputException(field, "is required for " + type + " rules");
        }
        if (!used && value != null) {
            throw new InvalidInputException(field, "does not apply to " + type + " rules");
        }
    }

    /** Every node must be deployed in the rule's workspace and tenant. */
    private static Uni<Void> checkNodes(dev.triggerlayer.scheduler.instance.engine.UnitOfWork u, AlertRuleInput in, List<Long> nodeIds) {
        return u.connection().preparedQuery("select id from node where id = any($1) and deployed and workspace_id = $2 and tenant_id = $3")
                .execute(Tuple.of(nodeIds.toArray(new Long[0]), in.workspaceId(), in.tenantId()))
                .invoke(rows -> {
                    Set<Long> missing = new TreeSet<>(nodeIds);
                    rows.forEach(r -> missing.remove(r.getLong("id")));
                    if (!missing.isEmpty()) {
                        throw new InvalidInputException("nodeIds", "not deployed nodes of workspace " + in.workspaceId() + ": "
                                + shorten(missing.toString()));
                    }
                })
                .replaceWithVoid();
    }

    static AlertRuleView view(Row r) {
        Long[] nodes = r.getArrayOfLongs("node_ids");
        LocalTime time = r.getLocalTime("unfinished_time");
        return new AlertRuleView(r.getLong("id"), r.getLong("tenant_id"), r.getLong("workspace_id"), r.getString("name"),
                r.getString("unit"), r.getString("type"), nodes == null ? null : Arrays.asList(nodes), r.getInteger("timeout_minutes"),
                time == null ? null : time.toString(), r.getString("resource_group"), r.getInteger("usage_percent"),
                r.getInteger("waiting_count"), r.getString("created_by"), r.getOffsetDateTime("created_at").toInstant());
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
