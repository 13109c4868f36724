package dev.triggerlayer.registry.bus;

import java.time.Instant;

public record EventBusView(long tenantId, String name, String regionId, Instant createdAt) {

    static EventBusView of(EventBus b) {
        return new EventBusView(b.tenantId, b.name, b.regionId, b.createdAt);
    }
}
