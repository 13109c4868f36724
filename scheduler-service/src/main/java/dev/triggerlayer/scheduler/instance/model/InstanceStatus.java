package dev.triggerlayer.scheduler.instance.model;

/**
 * Documented task instance status codes. {@code WaitTrigger} (an HTTP trigger node instance whose
 * upstream and time are done, waiting for its external trigger) has no code of its own: it is
 * status 2 with the wait-trigger flag, and events carry 2 (see README: "WaitTrigger").
 */
public final class InstanceStatus {
    public static final int NOT_RUN = 1;
    public static final int WAIT_TIME = 2;
    public static final int WAIT_RESOURCE = 3;
    public static final int RUNNING = 4;
    public static final int FAILED = 5;
    public static final int SUCCEEDED = 6;
    public static final int CHECKING = 7;
    public static final int CHECKING_CONDITION = 8;

    private InstanceStatus() {
    }

    /** The query API's name of a state. */
    public static String name(int status, boolean waitTrigger) {
        return switch (status) {
            case NOT_RUN -> "NotRun";
            case WAIT_TIME -> waitTrigger ? "WaitTrigger" : "WaitTime";
            case WAIT_RESOURCE -> "WaitResource";
            case RUNNING -> "Running";
            case FAILED -> "Failure";
            case SUCCEEDED -> "Success";
            case CHECKING -> "Checking";
            case CHECKING_CONDITION -> "CheckingCondition";
            default -> "Unknown";
        };
    }

    /** Parses a query API status name; null when unknown. */
    public static Integer fromName(String name) {
        return switch (name) {
            case "NotRun" -> NOT_RUN;
            case "WaitTime", "WaitTrigger" -> WAIT_TIME;
            case "WaitResource" -> WAIT_RESOURCE;
            case "Running" -> RUNNING;
            case "Failure" -> FAILED;
            case "Success" -> SUCCEEDED;
            case "Checking" -> CHECKING;
            case "CheckingCondition" -> CHECKING_CONDITION;
            default -> null;
        };
    }
}
