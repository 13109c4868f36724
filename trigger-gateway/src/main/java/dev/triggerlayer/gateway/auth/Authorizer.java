package dev.triggerlayer.gateway.auth;

import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.rpc.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * Who may do what (contracts/registry-feed.md, "Who may trigger"): within a tenant, its root account
 * or a workspace member with the Develop, Workspace Administrator or Owner role; across tenants,
 * an unexpired grant on the workspace (and node). The node's tenant must have an edition with HTTP
 * trigger nodes.
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
                .anyMatch(g -> g.tenantId() == node.tenantId() && (g.nodeIds().isEmpty() || g.nodeIds().contains(node.id())));
        if (!granted) {
            throw new ApiException(403, "Forbidden.CrossTenant", "Tenant " + node.tenantId() + " has not granted user " + caller.userId()
                    + " of tenant " + caller.tenantId() + " the right to trigger node " + node.id() + ".");
        }
    }

    public void mayRead(Caller caller, long workspaceId) {
        Directory.Workspace workspace = directory.workspace(workspaceId);
        if (workspace != null && workspace.tenantId() == caller.tenantId()) {
            Directory.User user = directory.user(caller.userId());
            if ((user != null && "ROOT".equals(user.kind())) || directory.member(workspaceId, caller.userId()) != null) {
                return;
            }
        }
        if (!directory.grants(caller.userId(), workspaceId, clock.instant()).isEmpty()) {
            return;
        }
        throw new ApiException(403, "Forbidden.NoPermission", "User " + caller.userId() + " may not read workspace " + workspaceId + ".");
    }
}
