package dev.triggerlayer.kit.loop;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: before retry n (1, 2, ...) wait a uniformly random time
 * between zero and {@code min(max, initial * 2^(n-1))}. The randomness spreads the retries of
 * many clients of one recovering server, instead of having them retry in lockstep.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(this.initialMillis, max.toMillis());
        this.random = random;
    }

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The largest wait before retry {@code retry} (1 = the first retry). */
    public Duration ceiling(int retry) {
        int doublings = Math.max(0, retry - 1);
        // Shifting past 62 bits would overflow; by then the ceiling is long capped anyway.
        long ceiling = doublings >= 62 || initialMillis > (maxMillis >> doublings) ? maxMillis : initialMillis << doublings;
        return Duration.ofMillis(Math.min(ceiling, maxMillis));
    }

    /** A random wait in {@code [0, ceiling(retry)]}. */
    public Duration delay(int retry) {
        long ceiling = ceiling(retry).toMillis();
        return Duration.ofMillis(Math.round(random.getAsDouble() * ceiling));
    }
}
