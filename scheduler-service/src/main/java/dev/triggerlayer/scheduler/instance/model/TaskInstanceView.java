package dev.triggerlayer.scheduler.instance.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A task instance with the field names of the cloud API's GetTaskInstance (2024-05-18). Times are
 * epoch milliseconds; {@code BizDate} is the business date's midnight in the workflow's zone. The
 * {@code Trigger*} fields are ours: what happened to the external trigger of an HTTP trigger node;
 * so is {@code Frozen}. {@code RunNumber} counts the instance's runs (attempts), as the cloud API does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskInstanceView(
        @JsonProperty("Id") long id,
        @JsonProperty("TaskId") long taskId,
        @JsonProperty("TaskName") String taskName,
        @JsonProperty("TaskType") String taskType,
        @JsonProperty("WorkflowId") long workflowId,
        @JsonProperty("WorkflowInstanceId") long workflowInstanceId,
        @JsonProperty("WorkflowInstanceType") String workflowInstanceType,
        @JsonProperty("ProjectId") long projectId,
        @JsonProperty("ProjectEnv") String projectEnv,
        @JsonProperty("TenantId") long tenantId,
        @JsonProperty("TriggerTime") long triggerTime,
        @JsonProperty("BizDate") long bizDate,
        @JsonProperty("Status") String status,
        @JsonProperty("StatusCode") int statusCode,
        @JsonProperty("SchedulerType") String schedulerType,
        @JsonProperty("Priority") int priority,
        @JsonProperty("ResourceGroup") String resourceGroup,
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
        @JsonProperty("Frozen") boolean frozen) {
}
