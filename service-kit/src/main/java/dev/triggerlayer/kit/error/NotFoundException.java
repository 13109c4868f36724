package dev.triggerlayer.kit.error;

/** 404 {@code NotFound}. */
public class NotFoundException extends ApiError {

    public NotFoundException(String kind, Object id) {
        super(kind + " " + id + " does not exist");
    }
}
