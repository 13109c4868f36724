package dev.triggerlayer.publisher.error;

public class NotFoundException extends PublisherException {

    public NotFoundException(String kind, Object id) {
        super(kind + " " + id + " does not exist");
    }
}
