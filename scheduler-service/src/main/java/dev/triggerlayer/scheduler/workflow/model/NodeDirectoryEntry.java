package dev.triggerlayer.scheduler.workflow.model;

/**
 * A deployed node as gateways see it on the compacted {@code scheduler.nodes} topic (key = node
 * id): enough to authorise a trigger without asking the scheduler.
 */
public record NodeDirectoryEntry(long nodeId, long workflowId, long tenantId, long workspaceId, String env, String name,
                                 String type, boolean frozen) {
}
