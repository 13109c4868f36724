package dev.triggerlayer.publisher.event.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The documented events (contract: {@code contracts/events/}): CloudEvents {@code type} and
 * {@code data.eventCode}. The status changes come from {@code scheduler.instance-changes} and
 * {@code scheduler.dag-changes}, the instance operations from {@code scheduler.instance-operations}
 * (whose records name their operation by its event code).
 */
public enum EventType {
    INSTANCE_STATUS_CHANGES("dataworks:InstanceStatusChanges:InstanceStatusChanges", "instance-status-changes"),
    DAG_STATUS_CHANGES("dataworks:DagStatusChanges:DagStatusChanges", "dag-status-changes"),
    FREEZE_INSTANCE("dataworks:InstanceChange:FreezeInstance", "freeze-instance"),
    UNFREEZE_INSTANCE("dataworks:InstanceChange:UnfreezeInstance", "unfreeze-instance"),
    KILL_INSTANCE("dataworks:InstanceChange:KillInstance", "kill-instance"),
    RERUN_INSTANCE("dataworks:InstanceChange:RerunInstance", "rerun-instance"),
    SET_INSTANCE_SUCCESS("dataworks:InstanceChange:SetInstanceSuccess", "set-instance-success"),
    DELETE_TASK_INSTANCE_DEPENDENCIES("dataworks:InstanceChange:DeleteTaskInstanceDependencies", "delete-task-instance-dependencies"),
    EXPIRED_TASK_INSTANCES_DELETED("dataworks:InstanceChange:ExpiredTaskInstancesDeleted", "expired-task-instances-deleted"),
    // From registry.workspace-events: a workspace deleted in the registry (tenant level).
    PROJECT_DELETED("dataworks:ProjectChange:ProjectDeleted", "project-deleted"),
    // Alert rules (docs/alerts.md), from scheduler.alerts.
    WORKBENCH_MONITOR_ALERT("dataworks:MonitorAlert:WorkbenchMonitorAlert", "workbench-monitor-alert"),
    // Extension point events (docs/extensions.md): the operation waits in Checking for the answers.
    PRE_FREEZE_INSTANCE("dataworks:InstanceChange:PreFreezeInstance", "pre-freeze-instance"),
    PRE_UNFREEZE_INSTANCE("dataworks:InstanceChange:PreUnfreezeInstance", "pre-unfreeze-instance"),
    PRE_RERUN_INSTANCE("dataworks:InstanceChange:PreRerunInstance", "pre-rerun-instance"),
    PRE_SET_INSTANCE_SUCCESS("dataworks:InstanceChange:PreSetInstanceSuccess", "pre-set-instance-success"),
    PRE_KILL_INSTANCE("dataworks:InstanceChange:PreKillInstance", "pre-kill-instance"),
    FREEZE_NODE("dataworks:NodeChange:FreezeNode", "freeze-node"),
    UNFREEZE_NODE("dataworks:NodeChange:UnFreezeNode", "unfreeze-node"),
    UNDEPLOY_NODE("dataworks:NodeChange:UndeployNode", "undeploy-node"),
    DEPLOY_FILE("dataworks:FileChange:DeployFile", "deploy-file"),
    DELETE_PROJECT("dataworks:ProjectChange:DeleteProject", "delete-project"),
    BACKFILL_DATA("dataworks:BackfillDataOperate:BackfillData", "backfill-data"),
    // Node changes in production (deploy, undeploy, freeze, owner or resource group), after the fact.
    NODE_CHANGE_CREATED("dataworks:NodeChange:NodeChangeCreated", "node-change-created"),
    NODE_CHANGE_UPDATED("dataworks:NodeChange:NodeChangeUpdated", "node-change-updated"),
    NODE_CHANGE_DELETED("dataworks:NodeChange:NodeChangeDeleted", "node-change-deleted");

    private final String type;
    private final String eventCode;

    EventType(String type, String eventCode) {
        this.type = type;
        this.eventCode = eventCode;
    }

    /** The CloudEvents {@code type}, e.g. {@code dataworks:DagStatusChanges:DagStatusChanges}. */
    public String type() {
        return type;
    }

    /** The {@code data.eventCode}, e.g. {@code dag-status-changes}. */
    public String eventCode() {
        return eventCode;
    }

    public static Optional<EventType> ofType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    public static Optional<EventType> ofEventCode(String eventCode) {
        return Arrays.stream(values()).filter(t -> t.eventCode.equals(eventCode)).findFirst();
    }
}
