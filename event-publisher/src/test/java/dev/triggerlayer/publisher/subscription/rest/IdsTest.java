package dev.triggerlayer.publisher.subscription.rest;

import dev.triggerlayer.publisher.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdsTest {

    @Test
    void replayTimesAreRfc3339WithAZone() {
        Instant expected = Instant.parse("2026-11-22T00:00:00Z");
        assertEquals(expected, Ids.timestamp("from", "2026-11-22T00:00:00Z"));
        assertEquals(expected, Ids.timestamp("from", "2026-11-22t00:00:00z"));
        assertEquals(expected, Ids.timestamp("from", "2026-11-22T08:00:00+08:00"));
        assertEquals(expected, Ids.timestamp("from", "2026-11-22T08:00:00 08:00"), "an unencoded '+' decoded to a space");
        assertEquals(expected.plusMillis(123), Ids.timestamp("from", "2026-11-22T00:00:00.123Z"));
        for (String bad : new String[] {"", "yesterday", "2026-11-22T00:00:00", "2026-11-22", "1763769600000"}) {
            assertEquals("from", assertThrows(InvalidInputException.class, () -> Ids.timestamp("from", bad)).field(), bad);
        }
        assertThrows(InvalidInputException.class, () -> Ids.timestamp("from", null));
    }

    @Test
    void idsArePositiveIntegers() {
        assertEquals(42L, Ids.parse("subscriptionId", "42"));
        for (String bad : new String[] {"0", "-1", "abc", "99999999999999999999999", ""}) {
            assertEquals("subscriptionId", assertThrows(InvalidInputException.class, () -> Ids.parse("subscriptionId", bad)).field());
        }
        assertEquals(null, Ids.parseOptional("tenantId", null));
        assertEquals(null, Ids.parseOptional("tenantId", " "));
    }
}
