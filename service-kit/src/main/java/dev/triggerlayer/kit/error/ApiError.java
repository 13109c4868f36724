package dev.triggerlayer.kit.error;

/** Base of the admin APIs' errors; each subclass has its own exception mapper in {@link ErrorMappers}. */
public abstract class ApiError extends RuntimeException {

    protected ApiError(String message) {
        super(message);
    }
}
