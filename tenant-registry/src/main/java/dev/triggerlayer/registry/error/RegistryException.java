package dev.triggerlayer.registry.error;

/** Base of the registry's domain errors; each subclass has its own exception mapper. */
public abstract class RegistryException extends RuntimeException {

    protected RegistryException(String message) {
        super(message);
    }
}
