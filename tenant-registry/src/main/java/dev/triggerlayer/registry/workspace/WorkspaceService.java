package dev.triggerlayer.registry.workspace;

import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.registry.bus.EventBus;
import dev.triggerlayer.registry.config.RegistryConfig;
import dev.triggerlayer.registry.feed.ChangeFeed;
import dev.triggerlayer.registry.persistence.Ids;
import dev.triggerlayer.registry.tenant.TenantService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

@ApplicationScoped
public class WorkspaceService {

    static final String KIND = "workspace";

    private final ChangeFeed feed;
    private final Clock clock;
    private final String eventsTopic;

    public WorkspaceService(ChangeFeed feed, Clock clock, RegistryConfig config) {
        this.feed = feed;
        this.clock = clock;
        this.eventsTopic = config.workspaceEvents().topic();
    }

    @WithTransaction
    public Uni<WorkspaceView> create(WorkspaceInput input) {
        return feed.lockWrites()
                .chain(() -> TenantService.requireReference("tenantId", input.tenantId()))
                .chain(() -> input.id() == null ? Uni.createFrom().nullItem() : Workspace.<Workspace>findById(input.id()))
                .chain(existing -> {
                    if (existing != null) {
                        throw new ConflictException("workspace " + input.id() + " already exists");
                    }
                    return uniqueName(input.tenantId(), input.name(), -1L);
                })
                .call(() -> requireBus(input.tenantId(), input.eventBusName()))
                .chain(() -> Ids.orNext(input.id()))
                .chain(id -> {
                    Workspace w = new Workspace();
                    w.id = id;
                    w.tenantId = input.tenantId();
                    w.createdAt = clock.instant();
                    return save(w, input);
                });
    }

    @WithTransaction
    public Uni<WorkspaceView> update(long id, WorkspaceInput input) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .invoke(w -> {
                    if (!w.tenantId.equals(input.tenantId())) {
                        throw new InvalidInputException("tenantId", "a workspace cannot move to another tenant");
                    }
                })
                .call(w -> uniqueName(w.tenantId, input.name(), id))
                .call(w -> requireBus(w.tenantId, input.eventBusName()))
                .chain(w -> save(w, input));
    }

    /**
     * Deletes the workspace (its checks, if any, passed) and, in the same transaction, writes the
     * {@code workspace-deleted} record from which the publisher raises {@code project-deleted}.
     */
    @WithTransaction
    public Uni<Void> delete(long id, String operator) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .call(this::unused)
                .call(w -> w.delete())
                .call(() -> feed.deleted(KIND, id))
                .chain(w -> {
                    WorkspaceDeletedRecord record = WorkspaceDeletedRecord.of(w, operator, clock.millis());
                    return feed.event(eventsTopic, String.valueOf(w.tenantId), record.changeId(), record);
                });
    }

    /** The workspace, if it could be deleted now (checked again when it is). */
    @WithSession
    public Uni<WorkspaceView> requireDeletable(long id) {
        return require(id).call(this::unused).map(WorkspaceView::of);
    }

    private Uni<Boolean> unused(Workspace w) {
        return Workspace.getSession().chain(s -> s.createNativeQuery(
                                "select (exists(select 1 from workspace_member where workspace_id = ?1) "
                                        + "or exists(select 1 from trigger_grant where workspace_id = ?1 and revoked_at is null))", Boolean.class)
                        .setParameter(1, w.id).getSingleResult())
                .invoke(used -> {
                    if (used) {
                        throw new ConflictException("workspace " + w.id + " still has members or active grants; remove them first");
                    }
                });
    }

    @WithSession
    public Uni<WorkspaceView> get(long id) {
        return require(id).map(WorkspaceView::of);
    }

    @WithSession
    public Uni<List<WorkspaceView>> list(Long tenantId) {
        var query = tenantId == null ? Workspace.<Workspace>findAll(Sort.by("id")) : Workspace.<Workspace>find("tenantId", Sort.by("id"), tenantId);
        return query.list().map(all -> all.stream().map(WorkspaceView::of).toList());
    }

    public static Uni<Workspace> requireReference(String field, long id) {
        return Workspace.<Workspace>findById(id).map(w -> {
            if (w == null) {
                throw new InvalidInputException(field, "unknown workspace " + id);
            }
            return w;
        });
    }

    /** A named bus must be one of the workspace's own tenant (a bus of another tenant is unknown here). */
    private static Uni<Void> requireBus(long tenantId, String busName) {
        if (busName == null) {
            return Uni.createFrom().voidItem();
        }
        return EventBus.<EventBus>findById(new EventBus.Key(tenantId, busName)).invoke(bus -> {
            if (bus == null) {
                throw new InvalidInputException("eventBusName", "tenant " + tenantId + " has no event bus named '" + busName + "'");
            }
        }).replaceWithVoid();
    }

    private Uni<Void> uniqueName(long tenantId, String name, long self) {
        return Workspace.count("tenantId = ?1 and name = ?2 and id <> ?3", tenantId, name, self)
                .invoke(n -> {
                    if (n > 0) {
                        throw new ConflictException("tenant " + tenantId + " already has a workspace named '" + name + "'");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<WorkspaceView> save(Workspace w, WorkspaceInput input) {
        w.name = input.name();
        w.environments = input.environments() == null
                ? List.of(Environment.Prod.name(), Environment.Dev.name())
                : input.environments().stream().distinct().map(Enum::name).toList();
        w.publishEvents = input.publishEvents() == null || input.publishEvents();
        w.eventBusName = input.eventBusName();
        w.updatedAt = clock.instant();
        return w.<Workspace>persist()
                .map(WorkspaceView::of)
                .call(view -> feed.changed(KIND, view.id(), view));
    }

    private Uni<Workspace> require(long id) {
        return Workspace.<Workspace>findById(id).map(w -> {
            if (w == null) {
                throw new NotFoundException(KIND, id);
            }
            return w;
        });
    }
}
