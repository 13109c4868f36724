package dev.triggerlayer.scheduler.error;

public class ConflictException extends SchedulerException {
    public ConflictException(String message) {
        super(message);
    }
}
