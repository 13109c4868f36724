package dev.triggerlayer.publisher.event.service;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The three time formats of the documented events. */
public final class EventTimes {

    /** {@code time}: RFC 3339 with milliseconds and the zone's offset ({@code Z} for UTC). */
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    /** {@code aliyunpublishtime}: UTC with milliseconds, the form of the recent reference samples. */
    private static final DateTimeFormatter PUBLISH = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** {@code bizDate}, {@code createTime} of dag-status-changes: zone-less wall-clock text. */
    public static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    /** Valid zone names seen so far (tenants' and records' zones: a few), parsed once each; at most 1,000. */
    private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();

    private EventTimes() {
    }

    public static String rfc3339(Instant instant, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(instant);
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset);
        if (!fourDigitYear(t) || offset.getTotalSeconds() % 60 != 0) {
            return RFC3339.format(instant.atZone(zone));
        }
        StringBuilder b = dateTime(t);
        int seconds = offset.getTotalSeconds();
        if (seconds == 0) {
            return b.append('Z').toString();
        }
        b.append(seconds < 0 ? '-' : '+');
        int minutes = Math.abs(seconds) / 60;
        return pad(pad(b, minutes / 60, 2).append(':'), minutes % 60, 2).toString();
    }

    public static String publishTime(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        return fourDigitYear(t) ? dateTime(t).append('Z').toString() : PUBLISH.format(instant);
    }

    public static String local(Instant instant, ZoneId zone) {
        return LOCAL.format(instant.atZone(zone));
    }

    /*
     * The two formats above, written by hand: they are made once per event, and the formatter's
     * general machinery (the fraction goes through BigDecimal) cost more than the rest of the
     * envelope. Years outside 0000-9999 and offsets with seconds take the formatter.
     * EventTimesTest checks both ways agree.
     */

    private static boolean fourDigitYear(LocalDateTime t) {
        return t.getYear() >= 0 && t.getYear() <= 9999;
    }

    /** {@code uuuu-MM-dd'T'HH:mm:ss.SSS}: the milliseconds truncated, as the formatter does. */
    private static StringBuilder dateTime(LocalDateTime t) {
        StringBuilder b = new StringBuilder(29);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        return pad(b, t.getNano() / 1_000_000, 3);
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
            if (value < limit) {
                b.append('0');
            }
        }
        return b.append(value);
    }

    /** The first of the candidates that names a valid zone; UTC if none does. */
    public static ZoneId zone(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                ZoneId known = ZONES.get(candidate);
                if (known != null) {
                    return known;
                }
                try {
                    ZoneId zone = ZoneId.of(candidate.trim());
                    if (ZONES.size() < 1_000) {
                        ZONES.put(candidate, zone);
                    }
                    return zone;
                } catch (DateTimeException e) {
                    // try the next one
                }
            }
        }
        return ZoneOffset.UTC;
    }
}
