package dev.triggerlayer.scheduler.instance.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.model.InstanceStatus;
import dev.triggerlayer.scheduler.instance.model.TaskInstanceView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads task instances for the query API: one instance, or a filtered, sorted page. Every filter
 * is a bound parameter; sort columns come from a fixed map.
 */
@ApplicationScoped
public class TaskInstanceQueries {

    private static final String SELECT = "select t.*, n.name as task_name, n.owner, n.rerun_mode, n.timeout_seconds, n.script, "
            + "n.parameters, w.name as workflow_name, w.time_zone, d.dag_type, "
            + "(select count(*) from task_instance p where p.node_id = t.node_id and p.dag_instance_id = t.dag_instance_id and p.cyc_time <= t.cyc_time) "
            + "as period_number, "
            // The operation extension checks hold on it (docs/extensions.md), if any.
            + "(select c.pending_id from checking_instance c where c.instance_id = t.id) as checking_operation "
            + "from task_instance t join node n on n.id = t.node_id join workflow w on w.id = t.workflow_id "
            + "join dag_instance d on d.id = t.dag_instance_id ";
    private static final String FROM = "from task_instance t join node n on n.id = t.node_id join workflow w on w.id = t.workflow_id "
            + "join dag_instance d on d.id = t.dag_instance_id ";
    /** Sort fields of the query API and their columns. */
    public static final Map<String, String> SORTS = Map.of("TriggerTime", "t.cyc_time", "Id", "t.id", "ModifyTime", "t.modify_time",
            "Priority", "t.priority", "StartedTime", "t.begin_running_time", "FinishedTime", "t.finish_time", "CreateTime", "t.create_time");

    /**
     * A list query. Null means "no filter"; lists must be non-empty when given. {@code bizDate} is
     * a calendar date, {@code bizDateInstant} the instant of a business date's midnight in the
     * workflow's zone (as answers show it); {@code schedulerTypes} and {@code notSchedulerType}
     * select by the node's scheduling type.
     */
    public record Filter(long projectId, String env, LocalDate bizDate, Instant bizDateInstant, List<Long> ids, List<Long> taskIds,
                         String taskName, String nodeType, String owner, Long workflowId, Long workflowInstanceId, Integer dagType,
                         List<String> schedulerTypes, String notSchedulerType, String resourceGroup, Integer status, Boolean waitTrigger,
                         Instant triggerTime, Instant startedFrom, Instant startedTo, Instant finishedFrom, Instant finishedTo,
                         Instant createdFrom, Instant createdTo, String sortField, boolean descending, int page, int size) {
    }

    /** A page of instances and the number of all that match. */
    public record Page(long totalCount, int pageNumber, int pageSize, List<TaskInstanceView> instances) {
    }

    private final Pool pool;
    private final ObjectMapper json;
    private final int defaultTimeoutSeconds;

    public TaskInstanceQueries(Pool pool, ObjectMapper json, SchedulerConfig config) {
        this.pool = pool;
        this.json = json;
        this.defaultTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, config.runner().defaultTimeout().toSeconds());
    }

    public Uni<TaskInstanceView> get(long id) {
        return pool.preparedQuery(SELECT + "where t.id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw new NotFoundException("task instance", id);
            }
            return view(rows.iterator().next());
        });
    }

    public Uni<Page> list(Filter f) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder("where t.workspace_id = $1");
        args.add(f.projectId());
        and(where, args, "t.env = $", f.env());
        and(where, args, "t.biz_date = $", f.bizDate());
        if (f.bizDateInstant() != null) {
            // The instant of the business date's midnight in the workflow's own zone, as answers compute it.
            and(where, args, "(t.biz_date::timestamp at time zone w.time_zone) = $", utc(f.bizDateInstant()));
        }
        and(where, args, "t.id = any($", f.ids() == null ? null : f.ids().toArray(Long[]::new), ")");
        and(where, args, "t.node_id = any($", f.taskIds() == null ? null : f.taskIds().toArray(Long[]::new), ")");
        if (f.taskName() != null) {
            and(where, args, "strpos(lower(n.name), lower($", f.taskName(), ")) > 0");
        }
        and(where, args, "t.node_type = $", f.nodeType());
        and(where, args, "n.owner = $", f.owner());
        and(where, args, "t.workflow_id = $", f.workflowId());
        and(where, args, "t.dag_instance_id = $", f.workflowInstanceId());
        and(where, args, "d.dag_type = $", f.dagType());
        and(where, args, "t.scheduler_type = any($", f.schedulerTypes() == null ? null : f.schedulerTypes().toArray(String[]::new), ")");
        and(where, args, "t.scheduler_type <> $", f.notSchedulerType());
        and(where, args, "t.resource_group = $", f.resourceGroup());
        and(where, args, "t.status = $", f.status());
        and(where, args, "t.wait_trigger = $", f.waitTrigger());
        and(where, args, "t.cyc_time = $", utc(f.triggerTime()));
        and(where, args, "t.begin_running_time >= $", utc(f.startedFrom()));
        and(where, args, "t.begin_running_time <= $", utc(f.startedTo()));
        and(where, args, "t.finish_time >= $", utc(f.finishedFrom()));
        and(where, args, "t.finish_time <= $", utc(f.finishedTo()));
        and(where, args, "t.create_time >= $", utc(f.createdFrom()));
        and(where, args, "t.create_time <= $", utc(f.createdTo()));
        String direction = f.descending() ? "desc" : "asc";
        String order = SORTS.get(f.sortField()) + " " + direction + " nulls last, t.id " + direction;
        Tuple tuple = Tuple.from(args);
        String pageSql = SELECT + where + " order by " + order + " limit " + f.size() + " offset " + (long) (f.page() - 1) * f.size();
        return pool.preparedQuery("select count(*) " + FROM + where).execute(tuple)
                .chain(count -> pool.preparedQuery(pageSql).execute(tuple).map(rows -> {
                    List<TaskInstanceView> items = new ArrayList<>();
                    rows.forEach(r -> items.add(view(r)));
                    return new Page(count.iterator().next().getLong(0), f.page(), f.size(), items);
                }));
    }

    private static void and(StringBuilder where, List<Object> args, String condition, Object value) {
        and(where, args, condition, value, "");
    }

    private static void and(StringBuilder where, List<Object> args, String condition, Object value, String close) {
        if (value != null) {
            args.add(value);
            where.append(" and ").append(condition).append(args.size()).append(close);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private TaskInstanceView view(Row r) {
        ZoneId zone = ZoneId.of(r.getString("time_zone"));
        int status = r.getInteger("status");
        boolean waitTrigger = r.getBoolean("wait_trigger");
        Integer timeout = r.getInteger("timeout_seconds");
        return new TaskInstanceView(r.getLong("id"), r.getLong("node_id"), r.getString("task_name"), r.getString("node_type"),
                r.getLong("workflow_id"), r.getString("workflow_name"), r.getLong("dag_instance_id"), dagTypeName(r.getInteger("dag_type")),
                r.getInteger("dag_type"), r.getLong("workspace_id"), r.getString("env"), r.getLong("tenant_id"), ms(r, "cyc_time"),
                r.getLocalDate("biz_date").atStartOfDay(zone).toInstant().toEpochMilli(), r.getLong("period_number").intValue(),
                InstanceStatus.name(status, waitTrigger), status, r.getString("scheduler_type"), r.getInteger("priority"),
                r.getString("resource_group"), r.getString("owner"), r.getString("rerun_mode"),
                timeout == null ? defaultTimeoutSeconds : timeout, r.getString("script"), parameters(r), ms(r, "begin_wait_time_time"),
                ms(r, "begin_wait_res_time"), ms(r, "begin_running_time"), ms(r, "finish_time"), ms(r, "create_time"), ms(r, "modify_time"),
                "MANUAL".equals(r.getString("scheduler_type")) ? "Manual" : "Scheduler", ms(r, "trigger_retained_at"),
                ms(r, "trigger_expires_at"), ms(r, "trigger_dropped_at"), ms(r, "triggered_at"), r.getInteger("attempt"),
                r.getString("run_owner"), r.getBoolean("frozen"),
                r.getUUID("checking_operation") == null ? null : r.getUUID("checking_operation").toString());
    }

    /** The product's names of DAG types (instance-status event documentation). */
    public static String dagTypeName(int dagType) {
        return switch (dagType) {
            case 0 -> "Normal";
            case 1 -> "Manual";
            case 2 -> "SmokeTest";
            case 3 -> "SupplementData";
            case 4 -> "ManualWorkflow";
            case 5 -> "ManualFlow";
            default -> "Normal";
        };
    }

    private static Map<String, String> parameters(Row r) {
        Object raw = r.getValue("parameters");
        Map<String, String> out = new TreeMap<>();
        if (raw instanceof JsonObject o) {
            o.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return out;
    }

    private static Long ms(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant().toEpochMilli();
    }
}
