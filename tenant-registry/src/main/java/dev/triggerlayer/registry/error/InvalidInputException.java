package dev.triggerlayer.registry.error;

/** Input that fails a rule the registry checks itself (unknown region, malformed id, ...). */
public class InvalidInputException extends RegistryException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
