package dev.triggerlayer.publisher.directory.model;

/** An event bus of a tenant, as the registry lists it. */
public record BusEntry(long tenantId, String name, String regionId) {
}
