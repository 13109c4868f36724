package dev.triggerlayer.scheduler.instance.operation.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.UUID;

/**
 * An operation as published on {@code scheduler.instance-operations} (contract:
 * {@code contracts/scheduler-records.md}); one per (tenant, workspace, environment) it touched.
 * A pre-event ({@code pre-freeze-instance}, …) is one too: its {@code operationId} is the check's
 * id (the event id, the callbacks' MessageId) and it carries {@code extensionBizId} (the pending
 * operation) and {@code extensionBizName} (the nodes' names). A node pre-event ({@code freeze-node},
 * {@code unfreeze-node}, {@code undeploy-node}) names its nodes in {@code nodeIds} and has no
 * task instances. {@code details} holds the members only one kind of record has: the node of a
 * {@code node-change-*} record, the parameters of a {@code backfill-data} pre-event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationRecord(UUID operationId, String operation, long tenantId, long workspaceId, String env, String operator,
                              long operationTime, List<Long> taskInstanceIds, List<Long> upstreamTaskInstanceIds,
                              Boolean descendants, String owner, String extensionBizId, String extensionBizName,
                              List<Long> nodeIds, Object details) {

    /** A record without event-specific details. */
    public OperationRecord(UUID operationId, String operation, long tenantId, long workspaceId, String env, String operator,
                           long operationTime, List<Long> taskInstanceIds, List<Long> upstreamTaskInstanceIds,
                           Boolean descendants, String owner, String extensionBizId, String extensionBizName, List<Long> nodeIds) {
        this(operationId, operation, tenantId, workspaceId, env, operator, operationTime, taskInstanceIds, upstreamTaskInstanceIds,
                descendants, owner, extensionBizId, extensionBizName, nodeIds, null);
    }
}
