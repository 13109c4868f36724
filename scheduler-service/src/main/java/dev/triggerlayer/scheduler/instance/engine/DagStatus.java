package dev.triggerlayer.scheduler.instance.engine;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.instance.model.DagChange;
import dev.triggerlayer.scheduler.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

import static dev.triggerlayer.scheduler.instance.engine.InstanceEngine.utc;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.FAILED;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.NOT_RUN;
import static dev.triggerlayer.scheduler.instance.model.InstanceStatus.SUCCEEDED;

/**
 * A DAG instance's aggregate status: 5 when any of its task instances failed, 6 when all
 * succeeded, 4 once any has started (or waits for its trigger), else 1. Refreshed once per unit
 * of work for each DAG it touched, from the final state; "started" needs only the changed
 * instances and the DAG's own status, failure and success are two probes on
 * (dag_instance_id, status) rather than a scan of the DAG. The DAG row is locked after its task
 * instances, the same order everywhere. Its {@code operator} stays who made it (reference 002: the
 * user who triggered the workflow: a scheduled DAG's owner, a backfill's or manual run's requester).
 */
@ApplicationScoped
public class DagStatus {

    private static final String PROBES = "select exists(select 1 from task_instance where dag_instance_id = $1 and status = 5) as failed, "
            + "not exists(select 1 from task_instance where dag_instance_id = $1 and status <> 6) as all_ok";

    private final Outbox outbox;
    private final String topic;

    public DagStatus(Outbox outbox, SchedulerConfig config) {
        this.outbox = outbox;
        this.topic = config.topics().dagChanges();
    }

    /** Moves the DAG to the status its task instances now give it, and records the change. */
    Uni<Void> refresh(UnitOfWork u, long dagId, boolean changedStarted) {
        SqlConnection c = u.connection();
        return c.preparedQuery("select status from dag_instance where id = $1 for update").execute(Tuple.of(dagId))
                .chain(prev -> c.preparedQuery(PROBES).execute(Tuple.of(dagId)).chain(probes -> {
                    int previous = prev.iterator().next().getInteger("status");
                    int status = next(previous, probes.iterator().next(), changedStarted);
                    if (previous == status) {
                        return Uni.createFrom().voidItem();
                    }
                    return c.preparedQuery("update dag_instance set status = $2, modify_time = $3 where id = $1")
                            .execute(Tuple.of(dagId, status, utc(u.now())))
                            .chain(() -> change(c, dagId, previous))
                            .invoke(change -> outbox.append(u, topic, String.valueOf(change.dagInstanceId()), change.changeId(), change))
                            .replaceWithVoid();
                }));
    }

    private static int next(int previous, Row probes, boolean changedStarted) {
        if (probes.getBoolean("failed")) {
            return FAILED;
        }
        if (probes.getBoolean("all_ok")) {
            return SUCCEEDED;
        }
        return previous != NOT_RUN || changedStarted ? 4 : NOT_RUN;
    }

    private static Uni<DagChange> change(SqlConnection c, long dagId, int previous) {
        return c.preparedQuery("select d.*, w.name as workflow_name, w.time_zone from dag_instance d join workflow w on w.id = d.workflow_id where d.id = $1")
                .execute(Tuple.of(dagId))
                .map(rows -> {
                    Row d = rows.iterator().next();
                    return new DagChange(UUID.randomUUID(), d.getLong("id"), d.getLong("workflow_id"), d.getString("name"),
                            d.getString("workflow_name"), d.getInteger("dag_type"), d.getLong("tenant_id"), d.getLong("workspace_id"),
                            d.getString("env"), previous, d.getInteger("status"), d.getLocalDate("biz_date").toString(),
                            d.getOffsetDateTime("create_time").toInstant().toEpochMilli(),
                            d.getOffsetDateTime("modify_time").toInstant().toEpochMilli(), d.getString("operator"), d.getString("time_zone"));
                });
    }
}
