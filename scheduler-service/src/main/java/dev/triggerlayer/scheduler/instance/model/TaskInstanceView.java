package dev.triggerlayer.scheduler.instance.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A task instance as the scheduler's query API shows it: the cloud API's GetTaskInstance names
 * where they exist, plus the scheduler's own facts. This is the scheduler's shape, for operators
 * and the gateway; the gateway's answers (contracts/gateway-queries.md) are the public contract.
 * Times are epoch milliseconds; {@code BizDate} is the business date's midnight in the workflow's
 * zone. The {@code Trigger*} fields say what happened to the external trigger of an HTTP trigger
 * node. {@code RunNumber} counts the instance's runs so far (0 before the first).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskInstanceView(
        @JsonProperty("Id") long id,
        @JsonProperty("TaskId") long taskId,
        @JsonProperty("TaskName") String taskName,
        @JsonProperty("TaskType") String taskType,
        @JsonProperty("WorkflowId") long workflowId,
        @JsonProperty("WorkflowName") String workflowName,
        @JsonProperty("WorkflowInstanceId") long workflowInstanceId,
        @JsonProperty("WorkflowInstanceType") String workflowInstanceType,
        @JsonProperty("DagType") int dagType,
        @JsonProperty("ProjectId") long projectId,
        @JsonProperty("ProjectEnv") String projectEnv,
        @JsonProperty("TenantId") long tenantId,
        @JsonProperty("TriggerTime") long triggerTime,
        @JsonProperty("BizDate") long bizDate,
        @JsonProperty("PeriodNumber") int periodNumber,
        @JsonProperty("Status") String status,
        @JsonProperty("StatusCode") int statusCode,
        @JsonProperty("SchedulerType") String schedulerType,
        @JsonProperty("Priority") int priority,
        @JsonProperty("ResourceGroup") String resourceGroup,
        @JsonProperty("Owner") String owner,
        @JsonProperty("RerunMode") String rerunMode,
        @JsonProperty("TimeoutSeconds") int timeoutSeconds,
        @JsonProperty("Script") String script,
        @JsonProperty("Parameters") Map<String, String> parameters,
        @JsonProperty("WaitTimeStartedTime") Long beginWaitTime,
        @JsonProperty("WaitResourceStartedTime") Long beginWaitResource,
        @JsonProperty("StartedTime") Long startedTime,
        @JsonProperty("FinishedTime") Long finishedTime,
        @JsonProperty("CreateTime") long createTime,
        @JsonProperty("ModifyTime") long modifyTime,
        @JsonProperty("TriggerType") String triggerType,
        @JsonProperty("TriggerRetainedTime") Long triggerRetainedTime,
        @JsonProperty("TriggerExpireTime") Long triggerExpireTime,
        @JsonProperty("TriggerDroppedTime") Long triggerDroppedTime,
        @JsonProperty("TriggeredTime") Long triggeredTime,
        @JsonProperty("RunNumber") int runNumber,
        @JsonProperty("Runner") String runner,
        @JsonProperty("Frozen") boolean frozen,
        /* The pending operation extension checks hold on the instance (state Checking), or null. */
        @JsonProperty("CheckingOperationId") String checkingOperationId) {
}
