package dev.triggerlayer.e2e.official;

import java.util.List;

import com.aliyun.tea.NameInMap;
import com.aliyun.tea.TeaModel;

/**
 * Test-only copy of the shape of the official DataWorks 2024-05-18 {@code ListTaskInstancesResponseBody}
 * (every {@code @NameInMap} key and Java type), written from the facts in the issue notes; this is not
 * SDK code. It lets a test map the gateway's JSON answer with {@link TeaModel#toModel} the way the SDK does.
 */
public class ListTaskInstancesAnswer extends TeaModel {

    @NameInMap("PagingInfo")
    public PagingInfo pagingInfo;

    @NameInMap("RequestId")
    public String requestId;

    public ListTaskInstancesAnswer() {
    }

    /** Test-only copy of the official {@code ListTaskInstancesResponseBodyPagingInfo} shape. */
    public static class PagingInfo extends TeaModel {

        @NameInMap("PageNumber")
        public Integer pageNumber;

        @NameInMap("PageSize")
        public Integer pageSize;

        @NameInMap("TaskInstances")
        public List<TaskInstances> taskInstances;

        @NameInMap("TotalCount")
        public Integer totalCount;

        public PagingInfo() {
        }
    }

    /**
     * Test-only copy of the official {@code ListTaskInstancesResponseBodyPagingInfoTaskInstances} shape
     * (36 keys: GetTaskInstance's keys without Inputs, Outputs, Script and Tags, plus ScriptParameters).
     */
    public static class TaskInstances extends TeaModel {

        @NameInMap("BaselineId")
        public Long baselineId;

        @NameInMap("Bizdate")
        public Long bizdate;

        @NameInMap("CreateTime")
        public Long createTime;

        @NameInMap("CreateUser")
        public String createUser;

        @NameInMap("DataSource")
        public DataSource dataSource;

        @NameInMap("Description")
        public String description;

        @NameInMap("FinishedTime")
        public Long finishedTime;

        @NameInMap("Id")
        public Long id;

        @NameInMap("ModifyTime")
        public Long modifyTime;

        @NameInMap("ModifyUser")
        public String modifyUser;

        @NameInMap("Owner")
        public String owner;

        @NameInMap("PeriodNumber")
        public Integer periodNumber;

        @NameInMap("Priority")
        public Integer priority;

        @NameInMap("ProjectEnv")
        public String projectEnv;

        @NameInMap("ProjectId")
        public Long projectId;

        @NameInMap("RerunMode")
        public String rerunMode;

        @NameInMap("RunNumber")
        public Integer runNumber;

        @NameInMap("Runtime")
        public Runtime runtime;

        @NameInMap("RuntimeResource")
        public RuntimeResource runtimeResource;

        @NameInMap("ScriptParameters")
        public String scriptParameters;

        @NameInMap("StartedTime")
        public Long startedTime;

        @NameInMap("Status")
        public String status;

        @NameInMap("TaskId")
        public Long taskId;

        @NameInMap("TaskName")
        public String taskName;

        @NameInMap("TaskType")
        public String taskType;

        @NameInMap("Timeout")
        public Integer timeout;

        @NameInMap("TriggerRecurrence")
        public String triggerRecurrence;

        @NameInMap("TriggerTime")
        public Long triggerTime;

        @NameInMap("TriggerType")
        public String triggerType;

        @NameInMap("UnifiedWorkflowInstanceId")
        public Long unifiedWorkflowInstanceId;

        @NameInMap("WaitingResourceTime")
        public Long waitingResourceTime;

        @NameInMap("WaitingTriggerTime")
        public Long waitingTriggerTime;

        @NameInMap("WorkflowId")
        public Long workflowId;

        @NameInMap("WorkflowInstanceId")
        public Long workflowInstanceId;

        @NameInMap("WorkflowInstanceType")
        public String workflowInstanceType;

        @NameInMap("WorkflowName")
        public String workflowName;

        public TaskInstances() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstancesDataSource} shape. */
    public static class DataSource extends TeaModel {

        @NameInMap("Name")
        public String name;

        public DataSource() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstancesRuntime} shape. */
    public static class Runtime extends TeaModel {

        @NameInMap("Gateway")
        public String gateway;

        @NameInMap("ProcessId")
        public String processId;

        public Runtime() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstancesRuntimeResource} shape ({@code Cu} is a String). */
    public static class RuntimeResource extends TeaModel {

        @NameInMap("Cu")
        public String cu;

        @NameInMap("Image")
        public String image;

        @NameInMap("ResourceGroupId")
        public String resourceGroupId;

        public RuntimeResource() {
        }
    }
}
