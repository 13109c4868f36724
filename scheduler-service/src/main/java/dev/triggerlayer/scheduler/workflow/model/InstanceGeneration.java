package dev.triggerlayer.scheduler.workflow.model;

/** When instances of a newly deployed node appear: from the next day (T+1), or right after the deploy. */
public enum InstanceGeneration {
    T_PLUS_1, IMMEDIATE
}
