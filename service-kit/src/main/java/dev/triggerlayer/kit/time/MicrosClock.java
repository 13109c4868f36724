package dev.triggerlayer.kit.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The system clock truncated to microseconds, in any zone. PostgreSQL keeps microseconds, so a
 * finer instant would make events differ from the rows they describe. ({@code Clock.tick} with a
 * sub-millisecond tick cannot be used: its {@code millis()} divides by zero.)
 */
public final class MicrosClock extends Clock {

    private final ZoneId zone;

    public MicrosClock() {
        this(ZoneOffset.UTC);
    }

    public MicrosClock(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MicrosClock(zone);
    }

    @Override
    public Instant instant() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
