package dev.triggerlayer.kit.error;

/** Input that fails a rule the service checks itself; 400 {@code InvalidParameter} naming {@link #field()}. */
public class InvalidInputException extends ApiError {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
