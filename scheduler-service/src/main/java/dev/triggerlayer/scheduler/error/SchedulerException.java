package dev.triggerlayer.scheduler.error;

/** Base of the scheduler's domain errors; each subclass has its own exception mapper. */
public abstract class SchedulerException extends RuntimeException {
    protected SchedulerException(String message) {
        super(message);
    }
}
