package dev.triggerlayer.scheduler.error;

public class NotFoundException extends SchedulerException {
    public NotFoundException(String kind, Object id) {
        super(kind + " " + id + " does not exist");
    }
}
