package dev.triggerlayer.registry.region;

import java.time.Instant;
import java.util.List;

public record RegionView(String id, String endpointHost, String gatewayUrl, List<String> eventBuses,
                         Instant createdAt, Instant updatedAt) {

    static RegionView of(Region r) {
        return new RegionView(r.id, r.endpointHost, r.gatewayUrl, List.copyOf(r.eventBuses), r.createdAt, r.updatedAt);
    }
}
