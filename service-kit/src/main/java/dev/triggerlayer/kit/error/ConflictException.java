package dev.triggerlayer.kit.error;

/**
 * 409 {@code Conflict}: a duplicate id or name, or a request that contradicts the current state.
 * A caller that must tell conflicts apart (the gateway relaying them under its own codes) reads
 * the optional {@code reason}, sent as the error body's {@code field}.
 */
public class ConflictException extends ApiError {

    private final String reason;

    public ConflictException(String message) {
        this(null, message);
    }

    public ConflictException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
