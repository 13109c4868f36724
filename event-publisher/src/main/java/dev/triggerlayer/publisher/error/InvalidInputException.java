package dev.triggerlayer.publisher.error;

/** Input that fails a rule the publisher checks itself (unknown tenant, foreign topic, ...). */
public class InvalidInputException extends PublisherException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
