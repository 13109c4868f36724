package dev.triggerlayer.gateway;

import dev.triggerlayer.testsupport.MutableClock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** Replaces the system clock in gateway tests; it starts at real time because the SDKs sign with it. */
@ApplicationScoped
public class TestClockProducer {

    public static final MutableClock CLOCK = new MutableClock(Instant.now());

    @Produces
    @Singleton
    Clock clock() {
        return CLOCK;
    }
}
