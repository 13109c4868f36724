package dev.triggerlayer.scheduler.instance.model;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A task instance row. */
public record Instance(long id, long dagInstanceId, long nodeId, long workflowId, long tenantId, long workspaceId,
                       String env, String nodeType, String schedulerType, int priority, String resourceGroup,
                       Instant cycTime, LocalDate bizDate, int status, boolean waitTrigger, boolean frozen,
                       Instant beginWaitTimeTime, Instant beginWaitResTime, Instant beginRunningTime, Instant finishTime,
                       Instant createTime, Instant modifyTime, UUID triggerCommandId, Instant triggerRetainedAt,
                       Instant triggerExpiresAt, Instant triggerDroppedAt, Instant triggeredAt,
                       int attempt, int retriesUsed, Instant notBefore, String runOwner, Instant leaseUntil,
                       int dagType, boolean ignoreTime) {

    /** DAG type of recurring (scheduled) instances; 3 is a backfill's, 5 a manual workflow run's. */
    public static final int DAG_TYPE_SCHEDULED = 0, DAG_TYPE_BACKFILL = 3, DAG_TYPE_MANUAL_RUN = 5;

    public static Instance of(Row r) {
        return new Instance(r.getLong("id"), r.getLong("dag_instance_id"), r.getLong("node_id"), r.getLong("workflow_id"),
                r.getLong("tenant_id"), r.getLong("workspace_id"), r.getString("env"), r.getString("node_type"),
                r.getString("scheduler_type"), r.getInteger("priority"), r.getString("resource_group"),
                t(r, "cyc_time"), r.getLocalDate("biz_date"), r.getInteger("status"), r.getBoolean("wait_trigger"),
                r.getBoolean("frozen"), t(r, "begin_wait_time_time"), t(r, "begin_wait_res_time"), t(r, "begin_running_time"),
                t(r, "finish_time"), t(r, "create_time"), t(r, "modify_time"), r.getUUID("trigger_command_id"),
                t(r, "trigger_retained_at"), t(r, "trigger_expires_at"), t(r, "trigger_dropped_at"), t(r, "triggered_at"),
                r.getInteger("attempt"), r.getInteger("retries_used"), t(r, "not_before"), r.getString("run_owner"), t(r, "lease_until"),
                r.getInteger("dag_type"), r.getBoolean("ignore_time"));
    }

    public boolean isHttpTrigger() {
        return "HTTP_TRIGGER".equals(nodeType);
    }

    /** Made by the schedule (not a backfill or a manual run): only those wait for, and take, external triggers. */
    public boolean isScheduled() {
        return dagType == DAG_TYPE_SCHEDULED;
    }

    public boolean isFinished() {
        return status == InstanceStatus.FAILED || status == InstanceStatus.SUCCEEDED;
    }

    public boolean hasRetainedTrigger() {
        return triggerRetainedAt != null && triggeredAt == null;
    }

    private static Instant t(Row r, String column) {
        OffsetDateTime value = r.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
