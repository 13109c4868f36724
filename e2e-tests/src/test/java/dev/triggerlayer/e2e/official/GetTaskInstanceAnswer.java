package dev.triggerlayer.e2e.official;

import java.util.List;

import com.aliyun.tea.NameInMap;
import com.aliyun.tea.TeaModel;

/**
 * Test-only copy of the shape of the official DataWorks 2024-05-18 {@code GetTaskInstanceResponseBody}
 * (every {@code @NameInMap} key and Java type), written from the facts in the issue notes; this is not
 * SDK code. It lets a test map the gateway's JSON answer with {@link TeaModel#toModel} the way the SDK does.
 */
public class GetTaskInstanceAnswer extends TeaModel {

    @NameInMap("RequestId")
    public String requestId;

    @NameInMap("TaskInstance")
    public TaskInstance taskInstance;

    public GetTaskInstanceAnswer() {
    }

    /** Test-only copy of the official {@code GetTaskInstanceResponseBodyTaskInstance} shape (39 keys). */
    public static class TaskInstance extends TeaModel {

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

        @NameInMap("Inputs")
        public Inputs inputs;

        @NameInMap("ModifyTime")
        public Long modifyTime;

        @NameInMap("ModifyUser")
        public String modifyUser;

        @NameInMap("Outputs")
        public Outputs outputs;

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

        @NameInMap("Script")
        public Script script;

        @NameInMap("StartedTime")
        public Long startedTime;

        @NameInMap("Status")
        public String status;

        @NameInMap("Tags")
        public List<Tags> tags;

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

        public TaskInstance() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceDataSource} shape. */
    public static class DataSource extends TeaModel {

        @NameInMap("Name")
        public String name;

        public DataSource() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceInputs} shape. */
    public static class Inputs extends TeaModel {

        @NameInMap("Variables")
        public List<InputsVariables> variables;

        public Inputs() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceInputsVariables} shape. */
    public static class InputsVariables extends TeaModel {

        @NameInMap("Name")
        public String name;

        @NameInMap("Type")
        public String type;

        @NameInMap("Value")
        public String value;

        public InputsVariables() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceOutputs} shape. */
    public static class Outputs extends TeaModel {

        @NameInMap("TaskOutputs")
        public List<OutputsTaskOutputs> taskOutputs;

        @NameInMap("Variables")
        public List<OutputsVariables> variables;

        public Outputs() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceOutputsTaskOutputs} shape. */
    public static class OutputsTaskOutputs extends TeaModel {

        @NameInMap("Output")
        public String output;

        public OutputsTaskOutputs() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceOutputsVariables} shape. */
    public static class OutputsVariables extends TeaModel {

        @NameInMap("Name")
        public String name;

        @NameInMap("Type")
        public String type;

        @NameInMap("Value")
        public String value;

        public OutputsVariables() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceRuntime} shape. */
    public static class Runtime extends TeaModel {

        @NameInMap("Gateway")
        public String gateway;

        @NameInMap("ProcessId")
        public String processId;

        public Runtime() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceRuntimeResource} shape ({@code Cu} is a String). */
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

    /** Test-only copy of the official {@code ...TaskInstanceScript} shape. */
    public static class Script extends TeaModel {

        @NameInMap("Content")
        public String content;

        @NameInMap("Parameters")
        public String parameters;

        public Script() {
        }
    }

    /** Test-only copy of the official {@code ...TaskInstanceTags} shape. */
    public static class Tags extends TeaModel {

        @NameInMap("Key")
        public String key;

        @NameInMap("Value")
        public String value;

        public Tags() {
        }
    }
}
