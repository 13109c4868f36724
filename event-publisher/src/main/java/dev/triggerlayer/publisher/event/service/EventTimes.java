package dev.triggerlayer.publisher.event.service;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The three time formats of the documented events. */
public final class EventTimes {

    /** {@code time}: RFC 3339 with milliseconds and the zone's offset ({@code Z} for UTC). */
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    /** {@code aliyunpublishtime}: UTC with milliseconds, the form of the recent reference samples. */
    private static final DateTimeFormatter PUBLISH = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** {@code bizDate}, {@code createTime} of dag-status-changes: zone-less wall-clock text. */
    public static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private EventTimes() {
    }

    public static String rfc3339(Instant instant, ZoneId zone) {
        return RFC3339.format(instant.atZone(zone));
    }

    public static String publishTime(Instant instant) {
        return PUBLISH.format(instant);
    }

    public static String local(Instant instant, ZoneId zone) {
        return LOCAL.format(instant.atZone(zone));
    }

    /** The first of the candidates that names a valid zone; UTC if none does. */
    public static ZoneId zone(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                try {
                    return ZoneId.of(candidate.trim());
                } catch (DateTimeException e) {
                    // try the next one
                }
            }
        }
        return ZoneOffset.UTC;
    }
}
