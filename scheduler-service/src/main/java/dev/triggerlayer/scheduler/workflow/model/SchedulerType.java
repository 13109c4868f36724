package dev.triggerlayer.scheduler.workflow.model;

/** Scheduler types with their documented numbers (events carry the number as {@code taskType}). */
public enum SchedulerType {
    NORMAL(0), MANUAL(1), PAUSE(2), SKIP(3), SKIP_UNCHOOSE(4), SKIP_CYCLE(5), CONDITION_UNCHOOSE(6), REALTIME_DEPRECATED(7);

    public final int code;

    SchedulerType(int code) {
        this.code = code;
    }

    /** Dry-run types: the instance is set to succeeded when it would start, without running. */
    public boolean succeedsAtStart() {
        return this == SKIP || this == SKIP_UNCHOOSE || this == SKIP_CYCLE || this == CONDITION_UNCHOOSE || this == REALTIME_DEPRECATED;
    }

    /** A frozen (paused) node: its instance fails when it would start. */
    public boolean failsAtStart() {
        return this == PAUSE;
    }
}
