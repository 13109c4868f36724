package dev.triggerlayer.kit.rest;

import dev.triggerlayer.kit.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParamsTest {

    @Test
    void replayTimesAreRfc3339WithAZone() {
        Instant expected = Instant.parse("2026-11-22T00:00:00Z");
        assertEquals(expected, Params.timestamp("from", "2026-11-22T00:00:00Z"));
        assertEquals(expected, Params.timestamp("from", "2026-11-22t00:00:00z"));
        assertEquals(expected, Params.timestamp("from", "2026-11-22T08:00:00+08:00"));
        assertEquals(expected, Params.timestamp("from", "2026-11-22T08:00:00 08:00"), "an unencoded '+' decoded to a space");
        assertEquals(expected.plusMillis(123), Params.timestamp("from", "2026-11-22T00:00:00.123Z"));
        for (String bad : new String[] {"", "yesterday", "2026-11-22T00:00:00", "2026-11-22", "1763769600000"}) {
            assertEquals("from", assertThrows(InvalidInputException.class, () -> Params.timestamp("from", bad)).field(), bad);
        }
        assertThrows(InvalidInputException.class, () -> Params.timestamp("from", null));
    }

    @Test
    void idsArePositiveIntegers() {
        assertEquals(42L, Params.id("subscriptionId", "42"));
        for (String bad : new String[] {"0", "-1", "abc", "99999999999999999999999", ""}) {
            assertEquals("subscriptionId", assertThrows(InvalidInputException.class, () -> Params.id("subscriptionId", bad)).field());
        }
        assertEquals(null, Params.optionalId("tenantId", null));
        assertEquals(null, Params.optionalId("tenantId", " "));
    }
}
