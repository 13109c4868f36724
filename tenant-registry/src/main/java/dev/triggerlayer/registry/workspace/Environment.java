package dev.triggerlayer.registry.workspace;

/** A workspace environment, spelled as the API's {@code EnvType}. */
public enum Environment {
    Prod, Dev
}
