package dev.triggerlayer.publisher.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/** Time is injected so that tests can control it. */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        // PostgreSQL keeps microseconds; a finer clock would make API answers differ from the rows.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
