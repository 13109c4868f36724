package dev.triggerlayer.registry.user;

import java.util.Collection;

/** Workspace roles of the product. */
public enum Role {
    WORKSPACE_OWNER, WORKSPACE_ADMIN, DEVELOP, OPERATION, DEPLOY, VISITOR;

    /**
     * Who may trigger HTTP trigger nodes in a workspace: reference 001 names Develop and Workspace
     * Administrator; the owner holds every administrator right.
     */
    public static boolean mayTrigger(Collection<Role> roles) {
        return roles.contains(DEVELOP) || roles.contains(WORKSPACE_ADMIN) || roles.contains(WORKSPACE_OWNER);
    }
}
