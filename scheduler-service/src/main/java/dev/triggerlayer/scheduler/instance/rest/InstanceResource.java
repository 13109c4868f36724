package dev.triggerlayer.scheduler.instance.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.instance.model.InstanceStatus;
import dev.triggerlayer.scheduler.instance.model.TaskInstanceView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Task instance queries with the cloud API's field names (GetTaskInstance / ListTaskInstances). */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/instances")
@Tag(name = "Task instances")
public class InstanceResource {

    public static final int MAX_PAGE_SIZE = 500;
    private static final String SELECT = "select t.*, n.name as task_name, w.time_zone, "
            + "(select d.dag_type from dag_instance d where d.id = t.dag_instance_id) as dag_type "
            + "from task_instance t join node n on n.id = t.node_id join workflow w on w.id = t.workflow_id ";
    private static final Map<String, String> SORTS = Map.of(
            "TriggerTime", "t.cyc_time", "Id", "t.id", "ModifyTime", "t.modify_time", "Priority", "t.priority");

    private final Pool pool;

    public InstanceResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Path("{instanceId}")
    @RolesAllowed({Roles.OPERATOR, Roles.READER})
    public Uni<TaskInstanceView> get(@PathParam("instanceId") String id) {
        long instanceId = Params.id("instanceId", id);
        return pool.preparedQuery(SELECT + "where t.id = $1").execute(Tuple.of(instanceId)).map(rows -> {
            if (rows.size() == 0) {
                throw new NotFoundException("task instance", instanceId);
            }
            return view(rows.iterator().next());
        });
    }

    /** One run (attempt) of an instance: who ran it, how it ended; {@code log} only on the log endpoint. */
    public record RunView(int attempt, String runner, long startedAt, Long finishedAt, Integer exitCode, String outcome,
                          long logDroppedBytes, String log) {
        static RunView of(Row r, boolean withLog) {
            return new RunView(r.getInteger("attempt"), r.getString("runner"), r.getOffsetDateTime("started_at").toInstant().toEpochMilli(),
                    r.getOffsetDateTime("finished_at") == null ? null : r.getOffsetDateTime("finished_at").toInstant().toEpochMilli(),
                    r.getInteger("exit_code"), r.getString("outcome"), r.getLong("log_dropped_bytes"), withLog ? r.getString("log") : null);
        }
    }

    @GET
    @Path("{instanceId}/runs")
    @Operation(summary = "The runs (attempts) of a task instance, oldest first")
    public Uni<List<RunView>> runs(@PathParam("instanceId") String id) {
        long instanceId = Params.id("instanceId", id);
        return exists(instanceId).chain(() -> pool.preparedQuery("select * from task_instance_run where instance_id = $1 order by attempt")
                .execute(Tuple.of(instanceId)).map(rows -> {
                    List<RunView> runs = new ArrayList<>();
                    rows.forEach(r -> runs.add(RunView.of(r, false)));
                    return runs;
                }));
    }

    /**
     * The log of one run (default: the latest): the script's stdout and stderr, bounded by
     * {@code scheduler.runner.output-limit} (the dropped middle is marked and counted).
     */
    @GET
    @Path("{instanceId}/log")
    @Operation(summary = "The log of a run of a task instance")
    public Uni<RunView> log(@PathParam("instanceId") String id, @QueryParam("attempt") String attempt) {
        long instanceId = Params.id("instanceId", id);
        Integer wanted = attempt == null ? null : (int) Math.min(Params.id("attempt", attempt), Integer.MAX_VALUE);
        return exists(instanceId).chain(() -> pool.preparedQuery("select * from task_instance_run where instance_id = $1 "
                        + "and ($2::int is null or attempt = $2) order by attempt desc limit 1")
                .execute(Tuple.of(instanceId, wanted)).map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("run of task instance " + instanceId + (wanted == null ? "" : " attempt"),
                                wanted == null ? "(it has not run)" : wanted);
                    }
                    return RunView.of(rows.iterator().next(), true);
                }));
    }

    private Uni<Void> exists(long instanceId) {
        return pool.preparedQuery("select 1 from task_instance where id = $1").execute(Tuple.of(instanceId)).map(rows -> {
            if (rows.size() == 0) {
                throw new NotFoundException("task instance", instanceId);
            }
            return null;
        });
    }

    /**
     * Lists instances. Filters: ProjectId (required), ProjectEnv, BizDate (yyyy-MM-dd or epoch ms),
     * TaskId, Status (NotRun, WaitTime, WaitTrigger, WaitResource, Running, Failure, Success),
     * TriggerTime (epoch ms); SortBy {@code <field> Asc|Desc} over TriggerTime, Id, ModifyTime,
     * Priority; PageNumber from 1; PageSize up to 500.
     */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.READER})
    @Operation(summary = "List task instances (ListTaskInstances)")
    public Uni<Map<String, Object>> list(@QueryParam("ProjectId") String projectId, @QueryParam("ProjectEnv") String env,
                                         @QueryParam("BizDate") String bizDate, @QueryParam("TaskId") String taskId,
                                         @QueryParam("Status") String status, @QueryParam("TriggerTime") String triggerTime,
                                         @QueryParam("SortBy") String sortBy, @QueryParam("PageNumber") String pageNumber,
                                         @QueryParam("PageSize") String pageSize) {
        if (projectId == null) {
            throw new InvalidInputException("ProjectId", "is required");
        }
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder("where t.workspace_id = $1");
        args.add(Params.id("ProjectId", projectId));
        if (env != null) {
            if (!env.equals("Prod") && !env.equals("Dev")) {
                throw new InvalidInputException("ProjectEnv", "must be Prod or Dev");
            }
            args.add(env);
            where.append(" and t.env = $").append(args.size());
        }
        if (bizDate != null) {
            args.add(parseBizDate(bizDate));
            where.append(" and t.biz_date = $").append(args.size());
        }
        if (taskId != null) {
            args.add(Params.id("TaskId", taskId));
            where.append(" and t.node_id = $").append(args.size());
        }
        if (triggerTime != null) {
            args.add(OffsetDateTime.ofInstant(Instant.ofEpochMilli(Params.id("TriggerTime", triggerTime)), java.time.ZoneOffset.UTC));
            where.append(" and t.cyc_time = $").append(args.size());
        }
        if (status != null) {
            Integer code = InstanceStatus.fromName(status);
            if (code == null) {
                throw new InvalidInputException("Status", "unknown status '" + status + "'");
            }
            args.add(code);
            where.append(" and t.status = $").append(args.size());
            if (status.equals("WaitTrigger") || status.equals("WaitTime")) {
                where.append(" and t.wait_trigger = ").append(status.equals("WaitTrigger"));
            }
        }
        String order = order(sortBy);
        int page = pageNumber == null ? 1 : (int) Math.min(Params.id("PageNumber", pageNumber), 1_000_000);
        int size = pageSize == null ? 20 : (int) Params.id("PageSize", pageSize);
        if (size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("PageSize", "must be at most " + MAX_PAGE_SIZE);
        }
        Tuple tuple = Tuple.from(args);
        String countSql = "select count(*) from task_instance t " + where;
        String pageSql = SELECT + where + " order by " + order + " limit " + size + " offset " + (long) (page - 1) * size;
        return pool.preparedQuery(countSql).execute(tuple).chain(count -> pool.preparedQuery(pageSql).execute(tuple).map(rows -> {
            List<TaskInstanceView> items = new ArrayList<>();
            rows.forEach(r -> items.add(view(r)));
            Map<String, Object> pageInfo = new LinkedHashMap<>();
            pageInfo.put("TotalCount", count.iterator().next().getLong(0));
            pageInfo.put("PageNumber", page);
            pageInfo.put("PageSize", size);
            pageInfo.put("TaskInstances", items);
            return Map.of("PagingInfo", pageInfo);
        }));
    }

    private static LocalDate parseBizDate(String raw) {
        try {
            if (raw.chars().allMatch(Character::isDigit)) {
                // Epoch ms of the business date, as the cloud API sends it; read in the default zone.
                return LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(raw)), ZoneId.of("Asia/Shanghai"));
            }
            return LocalDate.parse(raw);
        } catch (DateTimeException | NumberFormatException e) {
            throw new InvalidInputException("BizDate", "must be yyyy-MM-dd or epoch milliseconds");
        }
    }

    private static String order(String sortBy) {
        if (sortBy == null || sortBy.isBlank()) {
            return "t.cyc_time asc, t.id asc";
        }
        String[] parts = sortBy.trim().split("\\s+");
        String column = SORTS.get(parts[0]);
        String direction = parts.length > 1 ? parts[1] : "Asc";
        if (column == null || parts.length > 2 || !(direction.equals("Asc") || direction.equals("Desc"))) {
            throw new InvalidInputException("SortBy", "must be one of " + SORTS.keySet() + " followed by Asc or Desc");
        }
        return column + " " + direction.toLowerCase() + ", t.id " + direction.toLowerCase();
    }

    static TaskInstanceView view(Row r) {
        ZoneId zone = ZoneId.of(r.getString("time_zone"));
        int status = r.getInteger("status");
        boolean waitTrigger = r.getBoolean("wait_trigger");
        return new TaskInstanceView(r.getLong("id"), r.getLong("node_id"), r.getString("task_name"), r.getString("node_type"),
                r.getLong("workflow_id"), r.getLong("dag_instance_id"), r.getInteger("dag_type") == 0 ? "Normal" : "Other",
                r.getLong("workspace_id"), r.getString("env"), r.getLong("tenant_id"), ms(r, "cyc_time"),
                r.getLocalDate("biz_date").atStartOfDay(zone).toInstant().toEpochMilli(), InstanceStatus.name(status, waitTrigger), status,
                r.getString("scheduler_type"), r.getInteger("priority"), r.getString("resource_group"), ms(r, "begin_wait_time_time"),
                ms(r, "begin_wait_res_time"), ms(r, "begin_running_time"), ms(r, "finish_time"), ms(r, "create_time"), ms(r, "modify_time"),
                "Scheduler", ms(r, "trigger_retained_at"), ms(r, "trigger_expires_at"), ms(r, "trigger_dropped_at"), ms(r, "triggered_at"),
                r.getInteger("attempt"), r.getBoolean("frozen"));
    }

    private static Long ms(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant().toEpochMilli();
    }
}
