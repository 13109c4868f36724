package dev.triggerlayer.registry.error;

/** The request would duplicate a unique id or name, or contradicts existing state. */
public class ConflictException extends RegistryException {

    public ConflictException(String message) {
        super(message);
    }
}
