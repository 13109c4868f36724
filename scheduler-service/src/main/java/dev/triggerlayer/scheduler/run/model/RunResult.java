package dev.triggerlayer.scheduler.run.model;

/**
 * How a run's process ended.
 *
 * @param exitCode     the process's exit code; -1 when it could not start
 * @param byRule     killed because it outlived its time limit
 * @param killed       killed on request (an operator's kill, or this replica lost the run's lease)
 * @param log          the kept part of stdout and stderr
 * @param droppedBytes output bytes not kept (the output limit)
 */
public record RunResult(int exitCode, boolean byRule, boolean killed, String log, long droppedBytes) {

    public boolean succeeded() {
        return exitCode == 0 && !byRule && !killed;
    }

    /** The run's outcome as recorded in {@code task_instance_run.outcome}. */
    public String outcome() {
        return killed ? "KILLED" : byRule ? "TIMED_OUT" : exitCode == 0 ? "SUCCEEDED" : "FAILED";
    }
}
