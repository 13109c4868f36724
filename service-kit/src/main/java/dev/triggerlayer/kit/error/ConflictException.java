package dev.triggerlayer.kit.error;

/** 409 {@code Conflict}: a duplicate id or name, or a request that contradicts the current state. */
public class ConflictException extends ApiError {

    public ConflictException(String message) {
        super(message);
    }
}
