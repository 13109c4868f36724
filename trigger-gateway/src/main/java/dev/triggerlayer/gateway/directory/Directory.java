package dev.triggerlayer.gateway.directory;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's local copy of what it needs on every request, rebuilt from the registry's change
 * feed and the scheduler's node directory (both compacted topics), so a request never waits on
 * another service. Secrets stay sealed here and are opened per verification.
 */
@Singleton // not a client proxy: the loader writes these maps directly
public class Directory {

    public record AccessKey(String id, long tenantId, long userId, boolean enabled, String secretKeyId, String sealedSecret) {
    }

    /** {@code homeRegion}: where its workflows and instances live (docs/federation.md); may be empty. */
    public record Tenant(long id, String accountId, boolean httpTriggerNodesAllowed, String homeRegion) {
    }

    public record User(long id, long tenantId, String kind) {
    }

    public record Member(long workspaceId, long userId, boolean mayTrigger) {
    }

    public record Workspace(long id, long tenantId) {
    }

    /** A cross-tenant grant: it covers the nodes it lists, or every node of the workspace when {@code allNodes}. */
    public record Grant(long id, long tenantId, long workspaceId, long granteeUserId, List<Long> nodeIds, boolean allNodes, Instant expiresAt) {
        public boolean covers(long nodeId) {
            return allNodes || nodeIds.contains(nodeId);
        }
    }

    public record Node(long id, long workspaceId, long tenantId, String env, String type, boolean frozen) {
    }

    final Map<String, AccessKey> accessKeys = new ConcurrentHashMap<>();
    final Map<Long, Tenant> tenants = new ConcurrentHashMap<>();
    final Map<Long, User> users = new ConcurrentHashMap<>();
    final Map<String, Member> members = new ConcurrentHashMap<>();
    final Map<Long, Workspace> workspaces = new ConcurrentHashMap<>();
    final Map<Long, Grant> grants = new ConcurrentHashMap<>();
    final Map<Long, Node> nodes = new ConcurrentHashMap<>();

    public AccessKey accessKey(String id) {
        return accessKeys.get(id);
    }

    public Tenant tenant(long id) {
        return tenants.get(id);
    }

    public User user(long id) {
        return users.get(id);
    }

    public Member member(long workspaceId, long userId) {
        return members.get(workspaceId + "/" + userId);
    }

    public Workspace workspace(long id) {
        return workspaces.get(id);
    }

    public Node node(long id) {
        return nodes.get(id);
    }

    /** Unexpired grants to this user on this workspace. */
    public List<Grant> grants(long granteeUserId, long workspaceId, Instant now) {
        return grants.values().stream()
                .filter(g -> g.granteeUserId() == granteeUserId && g.workspaceId() == workspaceId && g.expiresAt().isAfter(now))
                .toList();
    }
}
