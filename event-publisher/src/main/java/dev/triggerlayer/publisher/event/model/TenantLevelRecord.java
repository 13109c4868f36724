package dev.triggerlayer.publisher.event.model;

/**
 * A record about a workspace the registry no longer lists (a deleted one): it is routed by its
 * tenant and names the bus and the {@code publishEvents} setting its workspace had, instead of
 * being looked up through the workspace.
 */
public interface TenantLevelRecord extends SchedulerRecord {

    /** The bus the workspace mapped to; null: the tenant's default bus. */
    String eventBusName();

    /** Whether the workspace published events; absent counts as true (the registry's default). */
    Boolean publishEvents();
}
