package dev.triggerlayer.publisher.event.service;

/**
 * {@code flowId} / {@code flowName} as reference 002 documents them: {@code 1} /
 * {@code ATCLOUD_FLOW} for instances and DAGs of scheduled work, the real workflow only for a
 * manually triggered workflow ({@code dagType} 5; we have no "internal" workflows). The real
 * workflow always travels in our own members {@code workflowId} / {@code workflowName}.
 */
final class Flows {

    static final int MANUALLY_TRIGGERED_WORKFLOW = 5;
    static final long DEFAULT_FLOW_ID = 1;
    static final String DEFAULT_FLOW_NAME = "ATCLOUD_FLOW";

    private Flows() {
    }

    static long flowId(int dagType, long workflowId) {
        return dagType == MANUALLY_TRIGGERED_WORKFLOW ? workflowId : DEFAULT_FLOW_ID;
    }

    static String flowName(int dagType, String workflowName) {
        return dagType == MANUALLY_TRIGGERED_WORKFLOW ? nonNull(workflowName) : DEFAULT_FLOW_NAME;
    }

    static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
