package dev.triggerlayer.scheduler.workflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;

/**
 * The node a {@code node-change-*} record describes, in reference 002's terms: {@code programType}
 * is our node type's code type ({@code DIDE_SHELL} for shell, {@code HTTP_TRIGGER}), a frozen
 * node's {@code schedulerType} is {@code PAUSE} (the reference's "frozen task"), and
 * {@code repeatability} is false only when reruns are denied. Times are epoch milliseconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeChange(long nodeId, long workflowId, String nodeName, String programType, String cronExpress, String schedulerType,
                         String ownerId, int priority, boolean repeatability, String resourceGroup, Long createTime, Long modifyTime) {

    public static NodeChange of(Row r) {
        return new NodeChange(r.getLong("id"), r.getLong("workflow_id"), r.getString("name"), programType(r.getString("type")),
                r.getString("cron"), r.getBoolean("frozen") ? SchedulerType.PAUSE.name() : r.getString("scheduler_type"), r.getString("owner"),
                r.getInteger("priority"), !RerunMode.ALL_DENIED.name().equals(r.getString("rerun_mode")), r.getString("resource_group"),
                ms(r.getOffsetDateTime("created_at")), ms(r.getOffsetDateTime("modified_at")));
    }

    /** The file type code of our node types (DataWorks names shell nodes {@code DIDE_SHELL}). */
    public static String programType(String nodeType) {
        return NodeType.SHELL.name().equals(nodeType) ? "DIDE_SHELL" : nodeType;
    }

    private static Long ms(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toEpochMilli();
    }
}
