package dev.triggerlayer.scheduler;

import dev.triggerlayer.testsupport.MutableClock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** Replaces the system clock (a default bean) in every scheduler test. */
@ApplicationScoped
public class TestClockProducer {

    public static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-22T01:00:00Z"));

    @Produces
    @Singleton
    Clock clock() {
        return CLOCK;
    }
}
