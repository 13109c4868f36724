package dev.triggerlayer.registry.user;

import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.registry.feed.ChangeFeed;
import dev.triggerlayer.registry.persistence.Ids;
import dev.triggerlayer.registry.tenant.TenantService;
import dev.triggerlayer.registry.workspace.WorkspaceService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

/** Users of a tenant and their workspace memberships. */
@ApplicationScoped
public class UserService {

    static final String USER = "user";
    static final String MEMBER = "member";

    private final ChangeFeed feed;
    private final Clock clock;

    public UserService(ChangeFeed feed, Clock clock) {
        this.feed = feed;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<UserView> create(long tenantId, UserInput input) {
        return feed.lockWrites()
                .chain(() -> TenantService.requireReference("tenantId", tenantId))
                .chain(() -> input.id() == null ? Uni.createFrom().nullItem() : TenantUser.<TenantUser>findById(input.id()))
                .chain(existing -> {
                    if (existing != null) {
                        throw new ConflictException("user " + input.id() + " already exists");
                    }
                    return unique(tenantId, input, -1L);
                })
                .chain(() -> Ids.orNext(input.id()))
                .chain(id -> {
                    TenantUser u = new TenantUser();
                    u.id = id;
                    u.tenantId = tenantId;
                    u.createdAt = clock.instant();
                    return save(u, input);
                });
    }

    @WithTransaction
    public Uni<UserView> update(long id, UserInput input) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .call(u -> unique(u.tenantId, input, id))
                .chain(u -> save(u, input));
    }

    @WithTransaction
    public Uni<Void> delete(long id) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .call(u -> TenantUser.getSession().chain(s -> s.createNativeQuery(
                                "select (exists(select 1 from workspace_member where user_id = ?1) or exists(select 1 from access_key where user_id = ?1) "
                                        + "or exists(select 1 from trigger_grant where grantee_user_id = ?1 and revoked_at is null))", Boolean.class)
                        .setParameter(1, id).getSingleResult())
                        .invoke(used -> {
                            if (used) {
                                throw new ConflictException("user " + id + " still has memberships, AccessKeys or grants; remove them first");
                            }
                        }))
                .chain(u -> u.delete())
                .chain(() -> feed.deleted(USER, id));
    }

    @WithSession
    public Uni<UserView> get(long id) {
        return require(id).map(UserView::of);
    }

    @WithSession
    public Uni<List<UserView>> list(long tenantId) {
        return TenantService.requireReference("tenantId", tenantId)
                .chain(() -> TenantUser.<TenantUser>find("tenantId", Sort.by("id"), tenantId).list())
                .map(all -> all.stream().map(UserView::of).toList());
    }

    /** Sets the user's roles in the workspace (creating the membership when needed). */
    @WithTransaction
    public Uni<MemberView> setRoles(long workspaceId, long userId, MemberInput input) {
        return feed.lockWrites()
                .chain(() -> WorkspaceService.requireReference("workspaceId", workspaceId))
                .chain(workspace -> requireReference("userId", userId).invoke(user -> {
                    if (!user.tenantId.equals(workspace.tenantId)) {
                        throw new InvalidInputException("userId",
                                "user " + userId + " belongs to another tenant; other tenants get access through grants");
                    }
                }))
                .chain(user -> WorkspaceMember.<WorkspaceMember>findById(new WorkspaceMember.Key(workspaceId, userId))
                        .chain(existing -> {
                            WorkspaceMember m = existing != null ? existing : new WorkspaceMember();
                            m.workspaceId = workspaceId;
                            m.userId = userId;
                            m.roles = input.roles().stream().distinct().map(Enum::name).toList();
                            m.updatedAt = clock.instant();
                            return m.<WorkspaceMember>persist();
                        })
                        .map(m -> MemberView.of(m, user.tenantId)))
                .call(view -> feed.changed(MEMBER, workspaceId + "/" + userId, view));
    }

    @WithTransaction
    public Uni<Void> removeMember(long workspaceId, long userId) {
        return feed.lockWrites()
                .chain(() -> WorkspaceMember.<WorkspaceMember>findById(new WorkspaceMember.Key(workspaceId, userId)))
                .chain(m -> {
                    if (m == null) {
                        throw new NotFoundException("membership", workspaceId + "/" + userId);
                    }
                    return m.delete();
                })
                .chain(() -> feed.deleted(MEMBER, workspaceId + "/" + userId));
    }

    @WithSession
    public Uni<List<MemberView>> members(long workspaceId) {
        return WorkspaceService.requireReference("workspaceId", workspaceId)
                .chain(workspace -> WorkspaceMember.<WorkspaceMember>find("workspaceId", Sort.by("userId"), workspaceId).list()
                        .map(all -> all.stream().map(m -> MemberView.of(m, workspace.tenantId)).toList()));
    }

    public static Uni<TenantUser> requireReference(String field, long id) {
        return TenantUser.<TenantUser>findById(id).map(u -> {
            if (u == null) {
                throw new InvalidInputException(field, "unknown user " + id);
            }
            return u;
        });
    }

    private Uni<Void> unique(long tenantId, UserInput input, long self) {
        return TenantUser.count("tenantId = ?1 and name = ?2 and id <> ?3", tenantId, input.name(), self)
                .invoke(n -> {
                    if (n > 0) {
                        throw new ConflictException("tenant " + tenantId + " already has a user named '" + input.name() + "'");
                    }
                })
                .chain(() -> input.kind() != UserKind.ROOT
                        ? Uni.createFrom().item(0L)
                        : TenantUser.count("tenantId = ?1 and kind = ?2 and id <> ?3", tenantId, UserKind.ROOT, self))
                .invoke(roots -> {
                    if (roots > 0) {
                        throw new ConflictException("tenant " + tenantId + " already has a root account");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<UserView> save(TenantUser u, UserInput input) {
        u.name = input.name();
        u.kind = input.kind();
        u.updatedAt = clock.instant();
        return u.<TenantUser>persist()
                .map(UserView::of)
                .call(view -> feed.changed(USER, view.id(), view));
    }

    private Uni<TenantUser> require(long id) {
        return TenantUser.<TenantUser>findById(id).map(u -> {
            if (u == null) {
                throw new NotFoundException(USER, id);
            }
            return u;
        });
    }
}
