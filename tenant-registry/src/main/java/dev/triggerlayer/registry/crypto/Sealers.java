package dev.triggerlayer.registry.crypto;

import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The two key rings: secrets at rest, and secrets on the change feed. */
@ApplicationScoped
public class Sealers {

    @Produces
    @Named("at-rest")
    @Singleton
    SealedSecrets atRest(RegistryConfig config) {
        return SealedSecrets.ring("registry.at-rest", config.atRest().active(), config.atRest().keys());
    }

    @Produces
    @Named("feed")
    @Singleton
    SealedSecrets feed(RegistryConfig config) {
        return SealedSecrets.ring("registry.feed", config.feed().active(), config.feed().keys());
    }
}
