package dev.triggerlayer.publisher.crypto;

import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The at-rest key ring, built once from configuration (a bad ring fails start-up, not a delivery). */
@ApplicationScoped
public class SealerProducer {

    @Produces
    @Singleton
    SealedSecrets atRest(PublisherConfig config) {
        return SealedSecrets.ring("publisher.at-rest", config.atRest().active(), config.atRest().keys());
    }
}
