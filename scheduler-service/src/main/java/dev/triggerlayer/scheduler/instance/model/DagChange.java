package dev.triggerlayer.scheduler.instance.model;

import java.util.UUID;

/**
 * A workflow (DAG) instance status change on {@code scheduler.dag-changes}. {@code bizDate} is
 * {@code yyyy-MM-dd}; times are epoch milliseconds; {@code timeZone} lets consumers render local times.
 */
public record DagChange(UUID changeId, long dagInstanceId, long workflowId, String dagName, String workflowName,
                        int dagType, long tenantId, long workspaceId, String env, int previousStatus, int status,
                        String bizDate, long createTime, long modifyTime, String operator, String timeZone) {
}
