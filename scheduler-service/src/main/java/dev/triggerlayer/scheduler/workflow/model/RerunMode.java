package dev.triggerlayer.scheduler.workflow.model;

/** Whether an instance may be rerun: always, only after a failure, or never. */
public enum RerunMode {
    ALL_ALLOWED, FAILURE_ALLOWED, ALL_DENIED
}
