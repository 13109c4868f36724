package dev.triggerlayer.kit.loop;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void ceilingDoublesUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0);
        assertEquals(Duration.ofSeconds(1), backoff.ceiling(1));
        assertEquals(Duration.ofSeconds(2), backoff.ceiling(2));
        assertEquals(Duration.ofSeconds(4), backoff.ceiling(3));
        assertEquals(Duration.ofSeconds(32), backoff.ceiling(6));
        assertEquals(Duration.ofSeconds(60), backoff.ceiling(7));
        assertEquals(Duration.ofSeconds(60), backoff.ceiling(1_000), "no overflow far out");
    }

    @Test
    void fullJitterSpansZeroToTheCeiling() {
        assertEquals(Duration.ZERO, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0).delay(5));
        assertEquals(Duration.ofSeconds(16), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0).delay(5));
        assertEquals(Duration.ofSeconds(8), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.5).delay(5));

        Random random = new Random(42);
        Backoff real = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), random::nextDouble);
        long below = 0;
        for (int i = 0; i < 1_000; i++) {
            long delay = real.delay(4).toMillis();
            assertTrue(delay >= 0 && delay <= 800, "within [0, 800] ms: " + delay);
            if (delay < 400) {
                below++;
            }
        }
        assertTrue(below > 350 && below < 650, "spread over the whole range, not clustered at the ceiling: " + below);
    }
}
