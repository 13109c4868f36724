package dev.triggerlayer.registry.error;

public class NotFoundException extends RegistryException {

    public NotFoundException(String kind, Object id) {
        super(kind + " " + id + " does not exist");
    }
}
