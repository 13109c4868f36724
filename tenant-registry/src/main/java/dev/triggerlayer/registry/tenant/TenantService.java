package dev.triggerlayer.registry.tenant;

import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.registry.feed.ChangeFeed;
import dev.triggerlayer.registry.persistence.Ids;
import dev.triggerlayer.registry.region.RegionService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

@ApplicationScoped
public class TenantService {

    static final String KIND = "tenant";
    public static final String DEFAULT_TIME_ZONE = "Asia/Shanghai";

    private final ChangeFeed feed;
    private final Clock clock;

    public TenantService(ChangeFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<TenantView> create(TenantInput input) {
        String zone = zone(input.timeZone());
        return feed.lockWrites()
                .chain(() -> RegionService.requireReference("homeRegion", input.homeRegion()))
                .chain(() -> input.id() == null ? Uni.createFrom().nullItem() : Tenant.<Tenant>findById(input.id()))
                .chain(existing -> {
                    if (existing != null) {
                        throw new ConflictException("tenant " + input.id() + " already exists");
                    }
                    return unique(input, null);
                })
                .chain(() -> Ids.orNext(input.id()))
                .chain(id -> {
                    Tenant tenant = new Tenant();
                    tenant.id = id;
                    tenant.createdAt = clock.instant();
                    return save(tenant, input, zone);
                });
    }

    @WithTransaction
    public Uni<TenantView> update(long id, TenantInput input) {
        String zone = zone(input.timeZone());
        return feed.lockWrites()
                .chain(() -> RegionService.requireReference("homeRegion", input.homeRegion()))
                .chain(() -> require(id))
                .call(tenant -> unique(input, id))
                .chain(tenant -> save(tenant, input, zone));
    }

    @WithTransaction
    public Uni<Void> delete(long id) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .call(tenant -> Tenant.getSession().chain(s -> s.createNativeQuery(
                                "select (exists(select 1 from workspace where tenant_id = ?1) or exists(select 1 from tenant_user where tenant_id = ?1) "
                                        + "or exists(select 1 from event_bus where tenant_id = ?1) "
                                        + "or exists(select 1 from trigger_grant where grantee_tenant_id = ?1 and revoked_at is null))", Boolean.class)
                        .setParameter(1, id).getSingleResult())
                        .invoke(used -> {
                            if (used) {
                                throw new ConflictException("tenant " + id + " still has workspaces, users, event buses or grants; delete them first");
                            }
                        }))
                .chain(tenant -> tenant.delete())
                .chain(() -> feed.deleted(KIND, id));
    }

    @WithSession
    public Uni<TenantView> get(long id) {
        return require(id).map(TenantView::of);
    }

    @WithSession
    public Uni<List<TenantView>> list() {
        return Tenant.<Tenant>listAll(io.quarkus.panache.common.Sort.by("id")).map(all -> all.stream().map(TenantView::of).toList());
    }

    /** The tenant, or a 400 naming {@code field} (for references from other entities). */
    public static Uni<Tenant> requireReference(String field, long id) {
        return Tenant.<Tenant>findById(id).map(t -> {
            if (t == null) {
                throw new InvalidInputException(field, "unknown tenant " + id);
            }
            return t;
        });
    }

    private Uni<Void> unique(TenantInput input, Long self) {
        return Tenant.<Tenant>find("(name = ?1 or accountId = ?2) and id <> ?3", input.name(), input.accountId(), self == null ? -1L : self)
                .firstResult()
                .invoke(clash -> {
                    if (clash != null) {
                        throw new ConflictException(clash.name.equals(input.name())
                                ? "a tenant named '" + input.name() + "' already exists"
                                : "a tenant with account id " + input.accountId() + " already exists");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<TenantView> save(Tenant tenant, TenantInput input, String zone) {
        tenant.name = input.name();
        tenant.accountId = input.accountId();
        tenant.edition = input.edition();
        tenant.homeRegion = input.homeRegion();
        tenant.timeZone = zone;
        tenant.updatedAt = clock.instant();
        return tenant.<Tenant>persist()
                .map(TenantView::of)
                .call(view -> feed.changed(KIND, view.id(), view));
    }

    private Uni<Tenant> require(long id) {
        return Tenant.<Tenant>findById(id).map(t -> {
            if (t == null) {
                throw new NotFoundException(KIND, id);
            }
            return t;
        });
    }

    private static String zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return DEFAULT_TIME_ZONE;
        }
        try {
            return ZoneId.of(timeZone).getId();
        } catch (DateTimeException e) {
            throw new InvalidInputException("timeZone", "unknown time zone '" + timeZone + "'");
        }
    }
}
