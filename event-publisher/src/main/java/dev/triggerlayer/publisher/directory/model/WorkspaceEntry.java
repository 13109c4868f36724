package dev.triggerlayer.publisher.directory.model;

/** What the publisher needs of a registry workspace: its owner and whether it publishes events. */
public record WorkspaceEntry(long id, long tenantId, boolean publishEvents) {
}
