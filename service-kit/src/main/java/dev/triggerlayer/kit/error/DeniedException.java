package dev.triggerlayer.kit.error;

/** 403 {@code Forbidden} for a caller the request's own data excludes (not a token's missing role). */
public class DeniedException extends ApiError {
    public DeniedException(String message) {
        super(message);
    }
}
