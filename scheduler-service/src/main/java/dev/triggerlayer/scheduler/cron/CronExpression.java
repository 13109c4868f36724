package dev.triggerlayer.scheduler.cron;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, validated node schedule in the product's six-field cron format:
 *
 * <pre>
 *   seconds minutes hours day-of-month month day-of-week [year]
 * </pre>
 *
 * for example {@code 00 30 05 * * ?} (05:30 every day), {@code 00 00/10 * * * ?} (every 10 minutes) or
 * {@code 00 05 00 * * 2,5} (00:05 every Tuesday and Friday).
 *
 * <h2>Syntax</h2>
 * <ul>
 *   <li>Fields are separated by whitespace. Exactly six fields, or seven when the seventh (year) field is
 *       {@code *} or {@code ?} (the product documentation shows {@code 00 00-59/10 8-17 * * * ?}); any other
 *       year value is rejected.</li>
 *   <li>Field ranges: seconds 0-59, minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12,
 *       day-of-week 1-7 with <b>ISO numbering: 1 = Monday ... 7 = Sunday</b> (not Quartz's 1 = Sunday).</li>
 *   <li>Minutes, hours, day-of-month, month and day-of-week accept {@code *}, single values ({@code 5},
 *       {@code 05}), ranges {@code a-b} (with {@code a <= b}; wrap-around ranges such as {@code 22-2} are
 *       rejected), steps {@code a/n} (from {@code a} to the field maximum), {@code a-b/n} and {@code *}{@code /n},
 *       and comma lists of any of these. A step must be between 1 and the size of the field's range.</li>
 *   <li>{@code ?} ("no specific value", same as {@code *}) is allowed only as the whole day-of-month or
 *       day-of-week field.</li>
 *   <li>The seconds field must be a single value (the product always generates {@code 00}); lists, ranges,
 *       steps and {@code *} are rejected there.</li>
 *   <li>Not supported, and rejected: {@code L}, {@code W}, {@code #}, month and weekday names, empty fields or
 *       list elements, signs, non-ASCII digits.</li>
 * </ul>
 *
 * <h2>Day matching</h2>
 * Month always applies. A day field counts as <em>restricted</em> unless its text is exactly {@code *} or
 * {@code ?} (so {@code *}{@code /2} or {@code 1-31} are restricted). Then:
 * <ul>
 *   <li>neither day-of-month nor day-of-week restricted: every day (of a matching month) matches;</li>
 *   <li>exactly one restricted: that field alone decides;</li>
 *   <li>both restricted: a day matches when <b>either</b> its day-of-month <b>or</b> its day-of-week matches
 *       (classic Unix cron semantics; Quartz would reject the combination).</li>
 * </ul>
 * A day-of-month that a month does not have (31 in April) simply never matches in that month; an expression
 * whose day-of-month/month combination can never occur at all (e.g. {@code 30 2}) is rejected because it would
 * never run. February 29 is a valid date (it occurs in leap years).
 *
 * <h2>Product limits</h2>
 * <ol>
 *   <li><b>Minimum scheduling interval 5 minutes.</b> Rejected when two consecutive fire times within a day
 *       are less than 5 minutes apart (e.g. {@code 00 *}{@code /2 * * * ?}, {@code 00 00,03 * * * ?}), and also
 *       when the last fire time of one day and the first of the next day are less than 5 minutes apart across
 *       midnight, provided two consecutive calendar days can both match.</li>
 *   <li><b>Earliest scheduled time 00:05 each day.</b> Read as applying to schedules that run once a day at a
 *       fixed time, i.e. whose hours field and minutes field each select exactly one value: those must not be
 *       earlier than 00:05 ({@code 00 00 00 * * ?} and {@code 00 04 00 * * ?} are rejected,
 *       {@code 00 05 00 * * ?} is accepted). Interval schedules are exempt, because the documented example
 *       {@code 00 00/10 * * * ?} fires at 00:00.</li>
 * </ol>
 *
 * <h2>Time zones</h2>
 * The expression carries no time zone. Fire times are wall-clock {@link LocalTime}s of the workspace's zone;
 * converting them to instants (including any DST gap or overlap handling) is the caller's job.
 */
public final class CronExpression {

    /** The product's minimum scheduling interval, in minutes. */
    public static final int MIN_INTERVAL_MINUTES = 5;

    /** The product's earliest scheduled time of day for once-a-day schedules. */
    public static final LocalTime EARLIEST_DAILY_TIME = LocalTime.of(0, 5);

    private static final int MINUTES_PER_DAY = 24 * 60;
    /** Days in one full Gregorian cycle; the calendar (leap years and weekdays) repeats after it. */
    private static final int GREGORIAN_CYCLE_DAYS = 146_097;

    private enum Field {
        SECONDS("seconds", 0, 59, false),
        MINUTES("minutes", 0, 59, false),
        HOURS("hours", 0, 23, false),
        DAY_OF_MONTH("day-of-month", 1, 31, true),
        MONTH("month", 1, 12, false),
        DAY_OF_WEEK("day-of-week", 1, 7, true);

        final String label;
        final int min;
        final int max;
        final boolean allowsQuestionMark;

        Field(String label, int min, int max, boolean allowsQuestionMark) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.allowsQuestionMark = allowsQuestionMark;
        }

        long all() {
            long mask = 0;
            for (int v = min; v <= max; v++) {
                mask |= 1L << v;
            }
            return mask;
        }
    }

    private final String text;
    private final long months;
    private final long daysOfMonth;
    private final long daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;
    private final List<LocalTime> dailyTimes;

    private CronExpression(String text, long months, long daysOfMonth, long daysOfWeek,
                           boolean dayOfMonthRestricted, boolean dayOfWeekRestricted, List<LocalTime> dailyTimes) {
        this.text = text;
        this.months = months;
        this.daysOfMonth = daysOfMonth;
        this.daysOfWeek = daysOfWeek;
        this.dayOfMonthRestricted = dayOfMonthRestricted;
        this.dayOfWeekRestricted = dayOfWeekRestricted;
        this.dailyTimes = dailyTimes;
    }

    /**
     * Parses and validates a cron expression.
     *
     * @param text the expression, e.g. {@code "00 30 05 * * ?"}
     * @return the parsed expression
     * @throws InvalidCronException if the text is null, malformed, or breaks a product limit; the message names
     *                              the offending field or limit and is suitable for showing to the user
     */
    public static CronExpression parse(String text) {
        if (text == null) {
            throw new InvalidCronException(null, "Invalid cron expression: a cron expression is required");
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidCronException(text, "Invalid cron expression: the cron expression is empty");
        }
        String[] tokens = trimmed.split("\\s+");
        if (tokens.length != 6 && tokens.length != 7) {
            throw invalid(text, "expected 6 fields (seconds minutes hours day-of-month month day-of-week) but found "
                    + tokens.length);
        }

        int second = parseSeconds(text, tokens[0]);
        long minutes = parseField(text, Field.MINUTES, tokens[1]);
        long hours = parseField(text, Field.HOURS, tokens[2]);
        long daysOfMonth = parseField(text, Field.DAY_OF_MONTH, tokens[3]);
        long months = parseField(text, Field.MONTH, tokens[4]);
        long daysOfWeek = parseField(text, Field.DAY_OF_WEEK, tokens[5]);
        if (tokens.length == 7 && !isUnrestricted(tokens[6])) {
            throw invalid(text, "year field '" + tokens[6] + "': only '*' or '?' is supported in the optional year field");
        }

        boolean domRestricted = !isUnrestricted(tokens[3]);
        boolean dowRestricted = !isUnrestricted(tokens[5]);
        if (domRestricted && !dowRestricted && !dayOfMonthOccurs(daysOfMonth, months)) {
            throw invalid(text, "day-of-month field '" + tokens[3] + "' never occurs in the months of month field '"
                    + tokens[4] + "', so the schedule would never run");
        }

        List<LocalTime> times = new ArrayList<>();
        for (int h = 0; h <= 23; h++) {
            if ((hours & (1L << h)) == 0) {
                continue;
            }
            for (int m = 0; m <= 59; m++) {
                if ((minutes & (1L << m)) != 0) {
                    times.add(LocalTime.of(h, m, second));
                }
            }
        }

        String normalized = String.join(" ", tokens);
        CronExpression cron = new CronExpression(normalized, months, daysOfMonth, daysOfWeek,
                domRestricted, dowRestricted, Collections.unmodifiableList(times));

        if (Long.bitCount(hours) == 1 && Long.bitCount(minutes) == 1 && times.get(0).isBefore(EARLIEST_DAILY_TIME)) {
            throw invalid(text, "runs once a day at " + times.get(0) + ", but the earliest scheduled time is "
                    + EARLIEST_DAILY_TIME + " each day");
        }
        for (int i = 1; i < times.size(); i++) {
            int gap = minuteOfDay(times.get(i)) - minuteOfDay(times.get(i - 1));
            if (gap < MIN_INTERVAL_MINUTES) {
                throw invalid(text, "runs at " + times.get(i - 1) + " and " + times.get(i) + ", only " + gap
                        + (gap == 1 ? " minute" : " minutes") + " apart, but the minimum scheduling interval is "
                        + MIN_INTERVAL_MINUTES + " minutes");
            }
        }
        LocalTime first = times.get(0);
        LocalTime last = times.get(times.size() - 1);
        int wrapGap = MINUTES_PER_DAY - minuteOfDay(last) + minuteOfDay(first);
        if (wrapGap < MIN_INTERVAL_MINUTES && cron.hasConsecutiveMatchingDays()) {
            throw invalid(text, "runs at " + last + " and again at " + first + " the next day, only " + wrapGap
                    + (wrapGap == 1 ? " minute" : " minutes") + " apart, but the minimum scheduling interval is "
                    + MIN_INTERVAL_MINUTES + " minutes");
        }
        return cron;
    }

    /**
     * The expression's text: the supplied fields, unchanged (leading zeros and an optional year field kept),
     * joined by single spaces.
     */
    public String text() {
        return text;
    }

    /** Whether the schedule runs on the given calendar day (month, day-of-month and day-of-week rules). */
    public boolean matchesDay(LocalDate day) {
        Objects.requireNonNull(day, "day");
        if ((months & (1L << day.getMonthValue())) == 0) {
            return false;
        }
        boolean domMatches = (daysOfMonth & (1L << day.getDayOfMonth())) != 0;
        boolean dowMatches = (daysOfWeek & (1L << day.getDayOfWeek().getValue())) != 0;
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return domMatches || dowMatches;
        }
        if (dayOfMonthRestricted) {
            return domMatches;
        }
        if (dayOfWeekRestricted) {
            return dowMatches;
        }
        return true;
    }

    /**
     * Every wall-clock fire time on the given calendar day, ascending; empty if the day does not match.
     * The returned list is unmodifiable.
     */
    public List<LocalTime> timesOn(LocalDate day) {
        return matchesDay(day) ? dailyTimes : List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static InvalidCronException invalid(String text, String problem) {
        return new InvalidCronException(text, "Invalid cron expression '" + text.strip() + "': " + problem);
    }

    private static boolean isUnrestricted(String token) {
        return token.equals("*") || token.equals("?");
    }

    private static int minuteOfDay(LocalTime time) {
        return time.getHour() * 60 + time.getMinute();
    }

    private static int parseSeconds(String text, String token) {
        if (!isDigits(token)) {
            throw invalid(text, "seconds field '" + token
                    + "': must be a single value such as 00 (lists, ranges, steps and '*' are not supported)");
        }
        int value = parseNumber(text, Field.SECONDS, token, token, "value");
        checkRange(text, Field.SECONDS, token, value);
        return value;
    }

    private static long parseField(String text, Field field, String token) {
        if (token.equals("?")) {
            if (!field.allowsQuestionMark) {
                throw invalid(text, field.label + " field '?': '?' is only allowed in the day-of-month and day-of-week fields");
            }
            return field.all();
        }
        if (token.equals("*")) {
            return field.all();
        }
        String[] items = token.split(",", -1);
        long mask = 0;
        for (String item : items) {
            if (item.isEmpty()) {
                throw invalid(text, field.label + " field '" + token + "': empty element in the comma-separated list");
            }
            mask |= parseItem(text, field, token, item);
        }
        return mask;
    }

    private static long parseItem(String text, Field field, String token, String item) {
        if (item.equals("?")) {
            throw invalid(text, field.label + " field '" + token + "': '?' must be the whole field, not part of a list");
        }
        int slash = item.indexOf('/');
        String rangePart = slash < 0 ? item : item.substring(0, slash);
        int step = 1;
        boolean hasStep = slash >= 0;
        if (hasStep) {
            String stepText = item.substring(slash + 1);
            if (stepText.indexOf('/') >= 0) {
                throw invalid(text, field.label + " field '" + token + "': '" + item + "' has more than one '/'");
            }
            step = parseNumber(text, field, token, stepText, "step");
            int span = field.max - field.min + 1;
            if (step < 1 || step > span) {
                throw invalid(text, field.label + " field '" + token + "': step " + step + " must be between 1 and " + span);
            }
            if (rangePart.isEmpty()) {
                throw invalid(text, field.label + " field '" + token + "': '" + item
                        + "' needs a start before '/' (for example '*/" + stepText + "' or '0/" + stepText + "')");
            }
        }

        int low;
        int high;
        if (rangePart.equals("*")) {
            low = field.min;
            high = field.max;
        } else {
            int dash = rangePart.indexOf('-');
            if (dash >= 0) {
                String lowText = rangePart.substring(0, dash);
                String highText = rangePart.substring(dash + 1);
                if (lowText.isEmpty() || highText.isEmpty()) {
                    throw invalid(text, field.label + " field '" + token + "': '" + rangePart
                            + "' is not a valid range (expected 'from-to', for example '8-17')");
                }
                low = parseNumber(text, field, token, lowText, "range start");
                high = parseNumber(text, field, token, highText, "range end");
                checkRange(text, field, token, low);
                checkRange(text, field, token, high);
                if (low > high) {
                    throw invalid(text, field.label + " field '" + token + "': range " + rangePart
                            + " runs backwards (wrap-around ranges are not supported)");
                }
            } else {
                low = parseNumber(text, field, token, rangePart, "value");
                checkRange(text, field, token, low);
                high = hasStep ? field.max : low;
            }
        }

        long mask = 0;
        for (int v = low; v <= high; v += step) {
            mask |= 1L << v;
        }
        return mask;
    }

    private static int parseNumber(String text, Field field, String token, String number, String what) {
        if (number.isEmpty()) {
            throw invalid(text, field.label + " field '" + token + "': missing " + what);
        }
        if (!isDigits(number)) {
            throw invalid(text, field.label + " field '" + token + "': '" + number + "' is not a number; only digits, '*', ','"
                    + ", '-' and '/'" + (field.allowsQuestionMark ? " (or '?' alone)" : "")
                    + " are supported (no names, L, W or #)");
        }
        if (number.length() > 9) {
            throw invalid(text, field.label + " field '" + token + "': " + what + " '" + number + "' is out of range "
                    + field.min + "-" + field.max);
        }
        return Integer.parseInt(number);
    }

    private static void checkRange(String text, Field field, String token, int value) {
        if (value < field.min || value > field.max) {
            String hint = field == Field.DAY_OF_WEEK ? " (1 = Monday ... 7 = Sunday)" : "";
            throw invalid(text, field.label + " field '" + token + "': value " + value + " is out of range "
                    + field.min + "-" + field.max + hint);
        }
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether some selected day-of-month exists in some selected month (February counted with 29 days). */
    private static boolean dayOfMonthOccurs(long daysOfMonth, long months) {
        for (int m = 1; m <= 12; m++) {
            if ((months & (1L << m)) == 0) {
                continue;
            }
            int maxDay = Month.of(m).maxLength();
            for (int d = 1; d <= maxDay; d++) {
                if ((daysOfMonth & (1L << d)) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether two consecutive calendar days can both match; checks one full 400-year Gregorian cycle. */
    private boolean hasConsecutiveMatchingDays() {
        LocalDate day = LocalDate.of(2000, 1, 1);
        boolean previous = matchesDay(day);
        for (int i = 0; i < GREGORIAN_CYCLE_DAYS; i++) {
            day = day.plusDays(1);
            boolean current = matchesDay(day);
            if (previous && current) {
                return true;
            }
            previous = current;
        }
        return false;
    }
}
