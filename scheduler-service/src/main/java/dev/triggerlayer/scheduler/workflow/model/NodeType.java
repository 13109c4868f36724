package dev.triggerlayer.scheduler.workflow.model;

/** Node types. An HTTP trigger node is zero-load: it never runs anything, an external trigger completes it. */
public enum NodeType {
    HTTP_TRIGGER, SHELL
}
