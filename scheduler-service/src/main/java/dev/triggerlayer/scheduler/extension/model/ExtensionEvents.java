package dev.triggerlayer.scheduler.extension.model;

import dev.triggerlayer.scheduler.instance.operation.model.Operation;

import java.util.Map;
import java.util.Optional;

/** The extension point events of the operations this system has, and the operation each holds. */
public final class ExtensionEvents {

    /** Workspace-level instance pre-events (reference 002, "Instance operation pre-events"). */
    public static final Map<Operation, String> INSTANCE = Map.of(
            Operation.FREEZE, "pre-freeze-instance",
            Operation.UNFREEZE, "pre-unfreeze-instance",
            Operation.RERUN, "pre-rerun-instance",
            Operation.SET_SUCCESS, "pre-set-instance-success",
            Operation.KILL, "pre-kill-instance");

    /** Workspace-level node pre-events (reference 002: freeze, unfreeze, undeploy). */
    public static final String FREEZE_NODE = "freeze-node", UNFREEZE_NODE = "unfreeze-node", UNDEPLOY_NODE = "undeploy-node";
    /** A workflow deploy (reference 002's file deployment pre-event; its nodes are the files). */
    public static final String DEPLOY_FILE = "deploy-file";
    /** A backfill request (reference 002's node backfill pre-event). */
    public static final String BACKFILL_DATA = "backfill-data";
    public static final java.util.Set<String> NODE = java.util.Set.of(FREEZE_NODE, UNFREEZE_NODE, UNDEPLOY_NODE, DEPLOY_FILE, BACKFILL_DATA);

    /** Tenant-level: a workspace's deletion in the registry, checked here and applied there. */
    public static final String DELETE_PROJECT = "delete-project";
    public static final java.util.Set<String> TENANT = java.util.Set.of(DELETE_PROJECT);

    private ExtensionEvents() {
    }

    public static Optional<String> of(Operation op) {
        return Optional.ofNullable(INSTANCE.get(op));
    }

    public static boolean known(String eventCode) {
        return INSTANCE.containsValue(eventCode) || NODE.contains(eventCode) || TENANT.contains(eventCode);
    }

    /** Every event an extension may register for, sorted (for messages). */
    public static java.util.SortedSet<String> all() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>(INSTANCE.values());
        out.addAll(NODE);
        out.addAll(TENANT);
        return out;
    }
}
