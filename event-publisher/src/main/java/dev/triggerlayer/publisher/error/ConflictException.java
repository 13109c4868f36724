package dev.triggerlayer.publisher.error;

/** The request would duplicate a unique name, or contradicts the current state. */
public class ConflictException extends PublisherException {

    public ConflictException(String message) {
        super(message);
    }
}
