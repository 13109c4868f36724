package dev.triggerlayer.scheduler.instance.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.instance.repository.TaskInstanceQueries;
import dev.triggerlayer.scheduler.instance.model.TaskInstanceView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.BeanParam;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's task instance query API (its own shape, TaskInstanceView; the gateway turns it
 * into the cloud API's GetTaskInstance and ListTaskInstances answers).
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/instances")
@Tag(name = "Task instances")
public class InstanceResource {

    private final Pool pool;
    private final TaskInstanceQueries queries;

    public InstanceResource(Pool pool, TaskInstanceQueries queries) {
        this.pool = pool;
        this.queries = queries;
    }

    @GET
    @Path("{instanceId}")
    @RolesAllowed({Roles.OPERATOR, Roles.READER})
    public Uni<TaskInstanceView> get(@PathParam("instanceId") String id) {
        return queries.get(Params.id("instanceId", id));
    }

    /** Lists instances of a workspace; the filters and their forms are those of {@link InstanceListQuery}. */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.READER})
    @Operation(summary = "List task instances")
    public Uni<Map<String, Object>> list(@BeanParam InstanceListQuery query) {
        return queries.list(query.filter()).map(page -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("TotalCount", page.totalCount());
            info.put("PageNumber", page.pageNumber());
            info.put("PageSize", page.pageSize());
            info.put("TaskInstances", page.instances());
            return Map.of("PagingInfo", info);
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
}
