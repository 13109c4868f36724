package dev.triggerlayer.scheduler.instance.operation.model;

import java.util.Locale;

/** Operator actions on task instances, with the event code each one publishes. */
public enum Operation {
    FREEZE("freeze-instance"),
    UNFREEZE("unfreeze-instance"),
    KILL("kill-instance"),
    RERUN("rerun-instance"),
    SET_SUCCESS("set-instance-success"),
    DELETE_DEPENDENCIES("delete-task-instance-dependencies"),
    EXPIRE("expired-task-instances-deleted");

    public final String eventCode;

    Operation(String eventCode) {
        this.eventCode = eventCode;
    }

    /** The path segment of the REST API: {@code freeze}, {@code set-success}, …; null when unknown. */
    public static Operation fromPath(String segment) {
        for (Operation o : values()) {
            if (o != EXPIRE && o.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(segment)) {
                return o;
            }
        }
        return null;
    }
}
