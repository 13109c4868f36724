package dev.triggerlayer.publisher.event.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written event time formats agree with the documented patterns' formatters. */
class EventTimesTest {

    static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    static final DateTimeFormatter PUBLISH = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** UTC, whole-hour offsets both ways, half and quarter hours, DST zones, and zones whose old offsets had seconds. */
    static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("Asia/Shanghai"), ZoneId.of("America/New_York"),
            ZoneId.of("Asia/Kolkata"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns"), ZoneId.of("Europe/Amsterdam"),
            ZoneId.of("Pacific/Kiritimati"), ZoneId.of("Pacific/Pago_Pago"), ZoneOffset.ofHoursMinutes(-9, -30));

    @Test
    void agreesWithTheFormattersOverRandomInstantsAndZones() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 20_000; i++) {
            // From year 1800 (local mean times with second offsets) to 2200, any nanosecond.
            Instant instant = Instant.ofEpochSecond(random.nextLong(-5_364_662_400L, 7_258_118_400L), random.nextInt(1_000_000_000));
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            assertEquals(RFC3339.format(instant.atZone(zone)), EventTimes.rfc3339(instant, zone), instant + " in " + zone);
            assertEquals(PUBLISH.format(instant), EventTimes.publishTime(instant), instant.toString());
        }
    }

    @Test
    void edgesOfTheFastPath() {
        for (String text : List.of("2026-11-22T00:00:00Z", "2026-11-22T08:00:02.345Z", "2026-03-29T01:00:00.999999999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z", "-0001-06-01T12:00:00Z",
                "1899-12-31T23:59:59.001Z")) {
            Instant instant = Instant.parse(text);
            for (ZoneId zone : ZONES) {
                assertEquals(RFC3339.format(instant.atZone(zone)), EventTimes.rfc3339(instant, zone), text + " in " + zone);
            }
            assertEquals(PUBLISH.format(instant), EventTimes.publishTime(instant), text);
        }
        assertEquals("2026-11-22T16:00:02.345+08:00", EventTimes.rfc3339(Instant.parse("2026-11-22T08:00:02.345Z"), ZoneId.of("Asia/Shanghai")));
    }

    @Test
    void zonesFallBackToTheNextValidCandidate() {
        assertEquals(ZoneId.of("Asia/Shanghai"), EventTimes.zone(null, " ", "Not/AZone", "Asia/Shanghai"));
        assertEquals(ZoneId.of("Asia/Shanghai"), EventTimes.zone("Asia/Shanghai"));
        assertEquals(ZoneOffset.UTC, EventTimes.zone("Not/AZone"));
    }
}
