package dev.triggerlayer.kit.error;

/** 503 {@code ServiceUnavailable}: a service this request needs did not answer; nothing was changed, retry. */
public class UnavailableException extends ApiError {
    public UnavailableException(String message) {
        super(message);
    }
}
