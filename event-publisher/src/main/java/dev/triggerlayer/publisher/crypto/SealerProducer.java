package dev.triggerlayer.publisher.crypto;

import dev.triggerlayer.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The at-rest key ring, built once from configuration (a bad ring fails start-up, not a delivery). */
@ApplicationScoped
public class SealerProducer {

    @Produces
    @Singleton
    SecretSealer atRest(PublisherConfig config) {
        return new SecretSealer(config.atRest().active(), config.atRest().keys());
    }
}
