package dev.triggerlayer.publisher.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Time is injected so that tests can control it. */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        // PostgreSQL keeps microseconds; a finer clock would make API answers differ from the rows.
        // (Clock.tick with a sub-millisecond tick cannot be used: its millis() divides by zero.)
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.system(zone);
            }

            @Override
            public Instant instant() {
                return Instant.now().truncatedTo(ChronoUnit.MICROS);
            }
        };
    }
}
