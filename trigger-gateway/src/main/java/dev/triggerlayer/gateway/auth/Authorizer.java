package dev.triggerlayer.gateway.auth;

import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.rpc.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may do what (contracts/registry-feed.md, "Who may trigger"): within a tenant, its root account
 * or a workspace member with the Develop, Workspace Administrator or Owner role; across tenants,
 * an unexpired grant on the workspace that covers the node. The node's tenant must have an edition
 * with HTTP trigger nodes. Reads follow the same rule: within a tenant its root account or any
 * member reads the whole workspace; across tenants a grant reads exactly the nodes it may trigger.
 */
@ApplicationScoped
public class Authorizer {

    private final Directory directory;
    private final Clock clock;

    public Authorizer(Directory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    public void mayTrigger(Caller caller, Directory.Node node) {
        Directory.Tenant owner = directory.tenant(node.tenantId());
        if (owner == null || !owner.httpTriggerNodesAllowed()) {
            throw new ApiException(403, "Forbidden.EditionNotSupported",
                    "HTTP trigger nodes need the Enterprise Edition, which the tenant of node " + node.id() + " does not have.");
        }
        if (caller.tenantId() == node.tenantId()) {
            Directory.User user = directory.user(caller.userId());
            Directory.Member member = directory.member(node.workspaceId(), caller.userId());
            if ((user != null && "ROOT".equals(user.kind())) || (member != null && member.mayTrigger())) {
                return;
            }
            throw new ApiException(403, "Forbidden.NoPermission", "User " + caller.userId()
                    + " needs the Develop or Workspace Administrator role in workspace " + node.workspaceId() + " to trigger its nodes.");
        }
        boolean granted = directory.grants(caller.userId(), node.workspaceId(), clock.instant()).stream()
                .anyMatch(g -> g.tenantId() == node.tenantId() && g.covers(node.id()));
        if (!granted) {
            throw new ApiException(403, "Forbidden.CrossTenant", "Tenant " + node.tenantId() + " has not granted user " + caller.userId()
                    + " of tenant " + caller.tenantId() + " the right to trigger node " + node.id() + ".");
        }
    }

    /**
     * What the caller may read of a workspace: {@link ReadScope#all} within its own tenant (root or
     * member), or across tenants the nodes its unexpired grants cover; refused when neither.
     */
    public ReadScope readScope(Caller caller, long workspaceId) {
        Directory.Workspace workspace = directory.workspace(workspaceId);
        if (workspace != null && workspace.tenantId() == caller.tenantId()) {
            Directory.User user = directory.user(caller.userId());
            if ((user != null && "ROOT".equals(user.kind())) || directory.member(workspaceId, caller.userId()) != null) {
                return ReadScope.OWN_TENANT;
            }
        }
        List<Directory.Grant> grants = directory.grants(caller.userId(), workspaceId, clock.instant()).stream()
                .filter(g -> workspace == null || g.tenantId() == workspace.tenantId()).toList();
        if (grants.stream().anyMatch(Directory.Grant::allNodes)) {
            return new ReadScope(false, null);
        }
        Set<Long> nodes = new TreeSet<>();
        grants.forEach(g -> nodes.addAll(g.nodeIds()));
        if (nodes.isEmpty()) {
            throw new ApiException(403, "Forbidden.NoPermission", "User " + caller.userId() + " may not read workspace " + workspaceId + ".");
        }
        return new ReadScope(false, Set.copyOf(nodes));
    }

    /** May the caller read this node's instances? */
    public ReadScope mayRead(Caller caller, long workspaceId, long nodeId) {
        ReadScope scope = readScope(caller, workspaceId);
        if (!scope.covers(nodeId)) {
            throw new ApiException(403, "Forbidden.NoPermission", "User " + caller.userId() + " may not read the instances of node " + nodeId + ".");
        }
        return scope;
    }

    /**
     * A caller's read access to one workspace: {@code nodes} null for every node; {@code ownTenant}
     * when the caller belongs to the workspace's tenant (only then are scripts and parameters shown).
     */
    public record ReadScope(boolean ownTenant, Set<Long> nodes) {
        static final ReadScope OWN_TENANT = new ReadScope(true, null);

        public boolean covers(long nodeId) {
            return nodes == null || nodes.contains(nodeId);
        }
    }
}
