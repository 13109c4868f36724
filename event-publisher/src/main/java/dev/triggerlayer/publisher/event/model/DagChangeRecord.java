package dev.triggerlayer.publisher.event.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A workflow (DAG) instance status change on {@code scheduler.dag-changes}. {@code bizDate} is
 * {@code yyyy-MM-dd}; times are epoch milliseconds; {@code timeZone} is the workflow's zone.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DagChangeRecord(String changeId, Long dagInstanceId, Long workflowId, String dagName, String workflowName,
                              Integer dagType, Long tenantId, Long workspaceId, String env, Integer previousStatus,
                              Integer status, String bizDate, Long createTime, Long modifyTime, String operator,
                              String timeZone) implements SchedulerRecord {
}
