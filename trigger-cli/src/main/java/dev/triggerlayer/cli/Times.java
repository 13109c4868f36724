package dev.triggerlayer.cli;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the times of the command line: epoch milliseconds, a wall-clock time of a zone
 * ({@code 2026-11-22 00:00:00}, {@code 2026-11-22T00:00}, {@code 2026-11-22}) or a time with an
 * offset ({@code 2026-11-22T00:00:00+08:00}, {@code 2026-11-21T16:00:00Z}).
 */
final class Times {

    /** The gateway's range of epoch milliseconds (1970 up to the end of 9999). */
    static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;
    /** Fewer digits than this are not read as epoch milliseconds: they are mostly epoch seconds by mistake. */
    private static final int MIN_EPOCH_MILLIS_DIGITS = 12;
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private Times() {
    }

    /**
     * Epoch milliseconds of {@code text}; a time without an offset is a wall-clock time of {@code zone}.
     *
     * @throws IllegalArgumentException with a message for the user when it is no time, or a
     *                                  wall-clock time that does not exist or exists twice in the zone
     */
    static long epochMillis(String text, ZoneId zone) {
        String t = text.trim();
        if (DIGITS.matcher(t).matches()) {
            if (t.length() < MIN_EPOCH_MILLIS_DIGITS) {
                throw new IllegalArgumentException("'" + text + "' is too short for epoch milliseconds (epoch seconds? multiply by 1000)");
            }
            return inRange(text, t.length() > 19 ? Long.MAX_VALUE : parseOrMax(t));
        }
        LocalDateTime local;
        if (DATE.matcher(t).matches()) {
            local = parse(text, () -> LocalDate.parse(t).atStartOfDay());
        } else {
            String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
            try {
                return inRange(text, OffsetDateTime.parse(iso).toInstant().toEpochMilli());
            } catch (DateTimeParseException noOffset) {
                local = parse(text, () -> LocalDateTime.parse(iso));
            }
        }
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' does not exist in " + zone
                    + " (the clocks skip it); give epoch milliseconds or a time with an offset");
        }
        if (offsets.size() > 1) {
            throw new IllegalArgumentException("'" + text + "' happens twice in " + zone + "; give epoch milliseconds or an offset: "
                    + local + offsets.get(0) + " or " + local + offsets.get(1));
        }
        return inRange(text, local.toInstant(offsets.get(0)).toEpochMilli());
    }

    /** The zone of {@code --time-zone}: a region id ({@code Asia/Shanghai}), {@code UTC} or an offset ({@code +08:00}). */
    static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time zone (e.g. Asia/Shanghai, UTC, +08:00)");
        }
    }

    private static long parseOrMax(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long inRange(String text, long millis) {
        if (millis < 0 || millis > MAX_EPOCH_MILLIS) {
            throw new IllegalArgumentException("'" + text + "' is outside 1970-01-01 to 9999-12-31");
        }
        return millis;
    }

    private static LocalDateTime parse(String text, java.util.function.Supplier<LocalDateTime> parser) {
        try {
            return parser.get();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use 'yyyy-MM-dd HH:mm:ss' (in --time-zone), "
                    + "an ISO time with offset, or epoch milliseconds");
        }
    }
}
