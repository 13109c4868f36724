package dev.triggerlayer.publisher.event.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * An operator action on task instances (or one batch of the expiry job) on
 * {@code scheduler.instance-operations}, keyed by the workspace id. {@code operation} is the
 * event code it stands for, e.g. {@code rerun-instance}; {@code operationTime} is epoch
 * milliseconds. Members a kind of operation does not use are absent.
 *
 * @param operationId             stable per operation (also the {@code event-id} header): the event id
 * @param env                     {@code Prod} or {@code Dev}
 * @param taskInstanceIds         the instances the operation applied to (deleted ones for the expiry job)
 * @param upstreamTaskInstanceIds {@code delete-task-instance-dependencies} only: the upstream instances cut loose
 * @param owner                   {@code expired-task-instances-deleted} only: the owner of the deleted instances' node
 * @param descendants             {@code rerun-instance} only: whether the descendants were rerun too
 * @param extensionBizId          pre-events only: the operation held in Checking (its {@code operationId} is the check's id, the callbacks' MessageId)
 * @param extensionBizName        pre-events only: the names of the instances' nodes
 * @param nodeIds                 node pre-events only ({@code freeze-node}, {@code unfreeze-node}, {@code undeploy-node}): the nodes
 * @param details                 {@code node-change-*}: the node; {@code backfill-data}: the backfill's parameters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceOperationRecord(String operationId, String operation, Long tenantId, Long workspaceId, String env,
                                      String operator, Long operationTime, List<Long> taskInstanceIds,
                                      List<Long> upstreamTaskInstanceIds, String owner, Boolean descendants,
                                      String extensionBizId, String extensionBizName, List<Long> nodeIds,
                                      com.fasterxml.jackson.databind.JsonNode details)
        implements SchedulerRecord {

    /** The operation id plays the part of the change id: one event per operation, same id on redelivery. */
    @Override
    public String changeId() {
        return operationId;
    }
}
