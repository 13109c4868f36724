package dev.triggerlayer.registry.bus;

import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.registry.feed.ChangeFeed;
import dev.triggerlayer.registry.region.RegionService;
import dev.triggerlayer.registry.tenant.TenantService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

/**
 * A tenant's event buses. Which workspaces publish, and to which bus, are workspace settings
 * ({@code publishEvents}, {@code eventBusName}); a bus a workspace maps to cannot be deleted.
 */
@ApplicationScoped
public class EventBusService {

    static final String KIND = "event-bus";

    private final ChangeFeed feed;
    private final Clock clock;

    public EventBusService(ChangeFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<EventBusView> create(long tenantId, EventBusInput input) {
        return feed.lockWrites()
                .chain(() -> TenantService.requireReference("tenantId", tenantId))
                .chain(() -> RegionService.requireReference("regionId", input.regionId()))
                .chain(() -> EventBus.<EventBus>findById(new EventBus.Key(tenantId, input.name())))
                .chain(existing -> {
                    if (existing != null) {
                        throw new ConflictException("tenant " + tenantId + " already has an event bus named '" + input.name() + "'");
                    }
                    EventBus bus = new EventBus();
                    bus.tenantId = tenantId;
                    bus.name = input.name();
                    bus.regionId = input.regionId();
                    bus.createdAt = clock.instant();
                    return bus.<EventBus>persist();
                })
                .map(EventBusView::of)
                .call(view -> feed.changed(KIND, tenantId + "/" + view.name(), view));
    }

    @WithTransaction
    public Uni<Void> delete(long tenantId, String name) {
        return feed.lockWrites()
                .chain(() -> EventBus.<EventBus>findById(new EventBus.Key(tenantId, name)))
                .chain(bus -> {
                    if (bus == null) {
                        throw new NotFoundException(KIND, tenantId + "/" + name);
                    }
                    return mappedBy(tenantId, name).chain(workspaces -> {
                        if (workspaces != null) {
                            // Refused rather than silently remapping: the workspaces' events would change bus unnoticed.
                            throw new ConflictException("event bus '" + name + "' of tenant " + tenantId + " still receives the events of workspace(s) "
                                    + workspaces + "; map them to another bus (or none) first");
                        }
                        return bus.delete();
                    });
                })
                .chain(() -> feed.deleted(KIND, tenantId + "/" + name));
    }

    /** The ids of the workspaces mapped to the bus, comma-separated, or null when none is. */
    private static Uni<String> mappedBy(long tenantId, String name) {
        return EventBus.getSession().chain(s -> s.createNativeQuery("select string_agg(cast(id as text), ', ' order by id) from workspace "
                        + "where tenant_id = ?1 and event_bus_name = ?2", String.class)
                .setParameter(1, tenantId).setParameter(2, name).getSingleResult());
    }

    @WithSession
    public Uni<List<EventBusView>> list(long tenantId) {
        return TenantService.requireReference("tenantId", tenantId)
                .chain(() -> EventBus.<EventBus>find("tenantId", Sort.by("name"), tenantId).list())
                .map(all -> all.stream().map(EventBusView::of).toList());
    }
}
