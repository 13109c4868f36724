package dev.triggerlayer.gateway.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/** Time is injected so that tests move it instead of waiting. */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        // PostgreSQL keeps microseconds; a finer clock would make events differ from rows.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
