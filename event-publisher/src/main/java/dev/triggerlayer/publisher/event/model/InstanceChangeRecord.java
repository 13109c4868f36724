package dev.triggerlayer.publisher.event.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A task instance status change on {@code scheduler.instance-changes}. Members are boxed so
 * that a missing one is seen as missing rather than read as zero; times are epoch milliseconds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceChangeRecord(String changeId, Long taskInstanceId, Long dagInstanceId, Integer dagType, Long nodeId,
                                   Long workflowId, Long tenantId, Long workspaceId, String env, String nodeType,
                                   String schedulerType, Integer taskType, Integer previousStatus, Integer status,
                                   Boolean waitTrigger, Long cycTime, String bizDate, Long beginWaitTimeTime,
                                   Long beginWaitResTime, Long beginRunningTime, Long finishTime, Long createTime,
                                   Long modifyTime, Integer opCode, String operator) implements SchedulerRecord {
}
