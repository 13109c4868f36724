package dev.triggerlayer.scheduler.instance.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/**
 * A task instance status change, as the scheduler publishes it on {@code scheduler.instance-changes}
 * (contract: {@code contracts/scheduler-records.md}). Times are epoch milliseconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceChange(UUID changeId, long taskInstanceId, long dagInstanceId, int dagType, long nodeId,
                             long workflowId, long tenantId, long workspaceId, String env, String nodeType,
                             String schedulerType, int taskType, int previousStatus, int status, boolean waitTrigger,
                             long cycTime, String bizDate, Long beginWaitTimeTime, Long beginWaitResTime,
                             Long beginRunningTime, Long finishTime, long createTime, long modifyTime, int opCode,
                             String operator) {

    /** Operation codes (the reference says consumers may ignore the field): who caused the change. */
    public static final int OP_SCHEDULER = 31, OP_TRIGGER = 32, OP_OPERATOR = 33;

    public static InstanceChange of(UUID changeId, Instance i, int previousStatus, int dagType, int opCode, String operator) {
        return new InstanceChange(changeId, i.id(), i.dagInstanceId(), dagType, i.nodeId(), i.workflowId(), i.tenantId(),
                i.workspaceId(), i.env(), i.nodeType(), i.schedulerType(),
                dev.triggerlayer.scheduler.workflow.model.SchedulerType.valueOf(i.schedulerType()).code,
                previousStatus, i.status(), i.waitTrigger(), i.cycTime().toEpochMilli(), i.bizDate().toString(),
                ms(i.beginWaitTimeTime()), ms(i.beginWaitResTime()), ms(i.beginRunningTime()), ms(i.finishTime()),
                i.createTime().toEpochMilli(), i.modifyTime().toEpochMilli(), opCode, operator);
    }

    private static Long ms(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
