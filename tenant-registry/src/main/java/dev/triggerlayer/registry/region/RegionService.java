package dev.triggerlayer.registry.region;

import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.registry.feed.ChangeFeed;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

@ApplicationScoped
public class RegionService {

    static final String KIND = "region";

    private final ChangeFeed feed;
    private final Clock clock;

    public RegionService(ChangeFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<RegionView> create(RegionInput input) {
        if (input.id() == null) {
            throw new InvalidInputException("id", "must not be null");
        }
        return feed.lockWrites()
                .chain(() -> Region.<Region>findById(input.id()))
                .chain(existing -> {
                    if (existing != null) {
                        throw new ConflictException("region " + input.id() + " already exists");
                    }
                    Region region = new Region();
                    region.id = input.id();
                    region.createdAt = clock.instant();
                    return save(region, input);
                });
    }

    @WithTransaction
    public Uni<RegionView> update(String id, RegionInput input) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .chain(region -> save(region, input));
    }

    @WithTransaction
    public Uni<Void> delete(String id) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .call(region -> inUse(id).invoke(used -> {
                    if (used) {
                        throw new ConflictException("region " + id + " is still used by tenants or event buses");
                    }
                }))
                .chain(region -> region.delete())
                .chain(() -> feed.deleted(KIND, id));
    }

    @WithSession
    public Uni<RegionView> get(String id) {
        return require(id).map(RegionView::of);
    }

    @WithSession
    public Uni<List<RegionView>> list() {
        return Region.<Region>listAll().map(all -> all.stream().map(RegionView::of).toList());
    }

    /** The region, or a 400 naming {@code field} when it does not exist (for references). */
    public static Uni<Region> requireReference(String field, String id) {
        return Region.<Region>findById(id).map(r -> {
            if (r == null) {
                throw new InvalidInputException(field, "unknown region '" + id + "'");
            }
            return r;
        });
    }

    private Uni<RegionView> save(Region region, RegionInput input) {
        region.endpointHost = input.endpointHost();
        region.gatewayUrl = input.gatewayUrl();
        region.eventBuses = input.eventBuses() == null ? List.of() : List.copyOf(input.eventBuses());
        region.updatedAt = clock.instant();
        return region.<Region>persist()
                .map(RegionView::of)
                .call(view -> feed.changed(KIND, view.id(), view));
    }

    private Uni<Region> require(String id) {
        return Region.<Region>findById(id).map(r -> {
            if (r == null) {
                throw new NotFoundException(KIND, id);
            }
            return r;
        });
    }

    private Uni<Boolean> inUse(String id) {
        return Region.getSession().chain(s -> s.createNativeQuery(
                        "select (exists(select 1 from tenant where home_region = ?1) or exists(select 1 from event_bus where region_id = ?1))",
                        Boolean.class)
                .setParameter(1, id)
                .getSingleResult());
    }
}
