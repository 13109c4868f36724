package dev.triggerlayer.publisher.error;

/** Base of the publisher's domain errors; each subclass has its own exception mapper. */
public abstract class PublisherException extends RuntimeException {

    protected PublisherException(String message) {
        super(message);
    }
}
