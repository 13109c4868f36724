package dev.triggerlayer.scheduler.workflow.model;

/** Workspace environment, spelled as the API's {@code EnvType}. */
public enum Env {
    Prod, Dev;

    /** As events spell it ({@code projectEnv}). */
    public String upper() {
        return name().toUpperCase();
    }
}
