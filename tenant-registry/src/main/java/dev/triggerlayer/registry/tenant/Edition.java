package dev.triggerlayer.registry.tenant;

/** Product editions; HTTP trigger nodes need ENTERPRISE (reference 001). */
public enum Edition {
    BASIC, STANDARD, PROFESSIONAL, ENTERPRISE;

    public boolean allowsHttpTriggerNodes() {
        return this == ENTERPRISE;
    }
}
