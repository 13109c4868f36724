package dev.triggerlayer.registry.crypto;

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
    SecretSealer atRest(RegistryConfig config) {
        return new SecretSealer(config.atRest(), "registry.at-rest");
    }

    @Produces
    @Named("feed")
    @Singleton
    SecretSealer feed(RegistryConfig config) {
        return new SecretSealer(config.feed(), "registry.feed");
    }
}
