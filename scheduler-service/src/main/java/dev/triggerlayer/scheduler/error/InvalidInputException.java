package dev.triggerlayer.scheduler.error;

public class InvalidInputException extends SchedulerException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
