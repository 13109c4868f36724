package dev.triggerlayer.registry.grant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.registry.feed.ChangeFeed;
import dev.triggerlayer.registry.persistence.Ids;
import dev.triggerlayer.registry.user.UserService;
import dev.triggerlayer.registry.workspace.WorkspaceService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

/** Cross-tenant trigger grants; every grant and revocation is audited in the same transaction. */
@ApplicationScoped
public class GrantService {

    static final String KIND = "grant";

    private final ChangeFeed feed;
    private final Clock clock;
    private final ObjectMapper json;

    public GrantService(ChangeFeed feed, Clock clock, ObjectMapper json) {
        this.feed = feed;
        this.clock = clock;
        this.json = json;
    }

    @WithTransaction
    public Uni<GrantView> grant(GrantInput input, String operator) {
        if (!input.expiresAt().isAfter(clock.instant())) {
            throw new InvalidInputException("expiresAt", "must be in the future");
        }
        boolean all = Boolean.TRUE.equals(input.allNodes());
        boolean listed = input.nodeIds() != null && !input.nodeIds().isEmpty();
        if (all == listed) {
            // An empty list meaning "everything" is how a lost list becomes a grant of the whole workspace: say it explicitly.
            throw new InvalidInputException("nodeIds", all ? "give nodeIds or allNodes=true, not both"
                    : "name the nodes the grant covers, or set allNodes=true for every node of the workspace");
        }
        return feed.lockWrites()
                .chain(() -> WorkspaceService.requireReference("workspaceId", input.workspaceId()))
                .invoke(ws -> {
                    if (!ws.tenantId.equals(input.tenantId())) {
                        throw new InvalidInputException("workspaceId", "workspace " + ws.id + " does not belong to tenant " + input.tenantId());
                    }
                })
                .chain(() -> UserService.requireReference("granteeUserId", input.granteeUserId()))
                .invoke(user -> {
                    if (user.tenantId.equals(input.tenantId())) {
                        throw new InvalidInputException("granteeUserId", "grants are for users of other tenants; use workspace roles within a tenant");
                    }
                })
                .chain(user -> Ids.orNext(null).chain(id -> {
                    TriggerGrant g = new TriggerGrant();
                    g.id = id;
                    g.tenantId = input.tenantId();
                    g.workspaceId = input.workspaceId();
                    g.granteeTenantId = user.tenantId;
                    g.granteeUserId = user.id;
                    g.nodeIds = all ? List.of() : input.nodeIds().stream().distinct().map(String::valueOf).toList();
                    g.allNodes = all;
                    g.expiresAt = input.expiresAt();
                    g.createdBy = operator;
                    g.createdAt = clock.instant();
                    return g.<TriggerGrant>persist();
                }))
                .map(GrantView::of)
                .call(view -> audit(view, "GRANTED", operator))
                .call(view -> feed.changed(KIND, view.id(), view));
    }

    @WithTransaction
    public Uni<GrantView> revoke(long id, String operator) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .chain(g -> {
                    if (g.revokedAt != null) {
                        throw new ConflictException("grant " + id + " was already revoked");
                    }
                    g.revokedAt = clock.instant();
                    g.revokedBy = operator;
                    return g.<TriggerGrant>persist();
                })
                .map(GrantView::of)
                .call(view -> audit(view, "REVOKED", operator))
                .call(view -> feed.deleted(KIND, view.id()));
    }

    @WithSession
    public Uni<GrantView> get(long id) {
        return require(id).map(GrantView::of);
    }

    @WithSession
    public Uni<List<GrantView>> list(Long tenantId, Long granteeTenantId) {
        String query = "(?1 is null or tenantId = ?1) and (?2 is null or granteeTenantId = ?2)";
        return TriggerGrant.<TriggerGrant>find(query, Sort.by("id"), tenantId, granteeTenantId).list()
                .map(all -> all.stream().map(GrantView::of).toList());
    }

    @WithSession
    public Uni<List<GrantAuditView>> audit(long grantId) {
        return require(grantId)
                .chain(() -> GrantAudit.<GrantAudit>find("grantId", Sort.by("id"), grantId).list())
                .map(all -> all.stream().map(GrantAuditView::of).toList());
    }

    private Uni<Void> audit(GrantView view, String action, String operator) {
        GrantAudit a = new GrantAudit();
        a.grantId = view.id();
        a.action = action;
        a.operator = operator;
        a.at = clock.instant();
        try {
            a.detail = json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return a.persist().replaceWithVoid();
    }

    private Uni<TriggerGrant> require(long id) {
        return TriggerGrant.<TriggerGrant>findById(id).map(g -> {
            if (g == null) {
                throw new NotFoundException(KIND, id);
            }
            return g;
        });
    }
}
