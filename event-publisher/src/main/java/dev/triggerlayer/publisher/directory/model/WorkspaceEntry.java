package dev.triggerlayer.publisher.directory.model;

/**
 * What the publisher needs of a registry workspace: its owner, whether it publishes events, and
 * the bus of its tenant that receives them ({@code eventBusName}; null: the tenant's default bus).
 */
public record WorkspaceEntry(long id, long tenantId, boolean publishEvents, String eventBusName) {

    public WorkspaceEntry(long id, long tenantId, boolean publishEvents) {
        this(id, tenantId, publishEvents, null);
    }
}
