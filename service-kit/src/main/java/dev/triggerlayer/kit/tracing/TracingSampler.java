package dev.triggerlayer.kit.tracing;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Traces are recorded and exported only where an OTLP endpoint is configured
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}), or where {@code triggerlayer.tracing.sample=true} says so
 * (tests with an in-memory exporter). Without either, spans are still created, unrecorded, so
 * trace ids reach the logs and the headers at almost no cost, and nothing tries to reach a
 * collector that is not there.
 */
@ApplicationScoped
public class TracingSampler {

    @Produces
    @Singleton
    Sampler sampler(@ConfigProperty(name = "triggerlayer.tracing.sample") Optional<Boolean> sample,
                    @ConfigProperty(name = "triggerlayer.tracing.otlp-endpoint") Optional<String> endpoint) {
        boolean on = sample.orElse(endpoint.filter(e -> !e.isBlank()).isPresent());
        return on ? Sampler.parentBased(Sampler.alwaysOn()) : Sampler.alwaysOff();
    }
}
