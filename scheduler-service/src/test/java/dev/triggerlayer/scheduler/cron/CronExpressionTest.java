package dev.triggerlayer.scheduler.cron;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The product's cron dialect: documented examples, day matching, limits and malformed input. */
class CronExpressionTest {

    // Weekdays of the 2026 dates used below (checked again in datesUsedHaveTheExpectedWeekdays).
    private static final LocalDate MON_2026_03_02 = LocalDate.of(2026, 3, 2);
    private static final LocalDate TUE_2026_03_03 = LocalDate.of(2026, 3, 3);
    private static final LocalDate WED_2026_03_04 = LocalDate.of(2026, 3, 4);
    private static final LocalDate FRI_2026_03_06 = LocalDate.of(2026, 3, 6);
    private static final LocalDate SAT_2026_03_07 = LocalDate.of(2026, 3, 7);
    private static final LocalDate SUN_2026_03_08 = LocalDate.of(2026, 3, 8);
    private static final LocalDate THU_2026_01_01 = LocalDate.of(2026, 1, 1);

    @Test
    void datesUsedHaveTheExpectedWeekdays() {
        assertEquals(DayOfWeek.MONDAY, MON_2026_03_02.getDayOfWeek());
        assertEquals(DayOfWeek.TUESDAY, TUE_2026_03_03.getDayOfWeek());
        assertEquals(DayOfWeek.WEDNESDAY, WED_2026_03_04.getDayOfWeek());
        assertEquals(DayOfWeek.FRIDAY, FRI_2026_03_06.getDayOfWeek());
        assertEquals(DayOfWeek.SATURDAY, SAT_2026_03_07.getDayOfWeek());
        assertEquals(DayOfWeek.SUNDAY, SUN_2026_03_08.getDayOfWeek());
        assertEquals(DayOfWeek.THURSDAY, THU_2026_01_01.getDayOfWeek());
    }

    // ---- documented examples -------------------------------------------------------------------------------

    @Test
    void dailyAt0530() {
        CronExpression cron = CronExpression.parse("00 30 05 * * ?");
        assertEquals("00 30 05 * * ?", cron.text());
        for (LocalDate day : daysOf2026()) {
            assertEquals(List.of(LocalTime.of(5, 30)), cron.timesOn(day), day.toString());
        }
    }

    @Test
    void minute15OfEveryHour() {
        CronExpression cron = CronExpression.parse("00 15 * * * ?");
        List<LocalTime> expected = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            expected.add(LocalTime.of(h, 15));
        }
        assertEquals(expected, cron.timesOn(WED_2026_03_04));
        assertEquals(24, cron.timesOn(SUN_2026_03_08).size());
    }

    @Test
    void every10Minutes() {
        CronExpression cron = CronExpression.parse("00 00/10 * * * ?");
        List<LocalTime> times = cron.timesOn(SAT_2026_03_07);
        assertEquals(144, times.size());
        assertEquals(LocalTime.MIDNIGHT, times.get(0));
        assertEquals(LocalTime.of(23, 50), times.get(143));
        for (int i = 0; i < times.size(); i++) {
            assertEquals(LocalTime.MIDNIGHT.plusMinutes(10L * i), times.get(i));
        }
    }

    @Test
    void every10MinutesFrom0800To1700WithTheDocumentedSeventhField() {
        CronExpression cron = CronExpression.parse("00 00-59/10 8-17 * * * ?");
        assertEquals("00 00-59/10 8-17 * * * ?", cron.text());
        List<LocalTime> expected = new ArrayList<>();
        for (int h = 8; h <= 17; h++) {
            for (int m = 0; m <= 50; m += 10) {
                expected.add(LocalTime.of(h, m));
            }
        }
        assertEquals(60, expected.size());
        assertEquals(expected, cron.timesOn(TUE_2026_03_03));
        assertEquals(LocalTime.of(8, 0), cron.timesOn(TUE_2026_03_03).get(0));
        assertEquals(LocalTime.of(17, 50), cron.timesOn(TUE_2026_03_03).get(59));
        // six-field form is equivalent
        assertEquals(expected, CronExpression.parse("00 00-59/10 8-17 * * ?").timesOn(TUE_2026_03_03));
    }

    @Test
    void monthlyOnTheFirstAt0020() {
        CronExpression cron = CronExpression.parse("00 20 00 1 * ?");
        List<LocalDate> matching = matchingDaysOf2026(cron);
        assertEquals(12, matching.size());
        for (LocalDate day : matching) {
            assertEquals(1, day.getDayOfMonth());
            assertEquals(List.of(LocalTime.of(0, 20)), cron.timesOn(day));
        }
        assertEquals(List.of(), cron.timesOn(LocalDate.of(2026, 3, 2)));
    }

    @Test
    void everyThreeMonthsFromJanuaryFirstAt0010() {
        CronExpression cron = CronExpression.parse("00 10 00 1 1-12/3 ?");
        assertEquals(List.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 4, 1), LocalDate.of(2026, 7, 1),
                LocalDate.of(2026, 10, 1)), matchingDaysOf2026(cron));
        assertEquals(List.of(LocalTime.of(0, 10)), cron.timesOn(LocalDate.of(2026, 4, 1)));
        assertTrue(cron.timesOn(LocalDate.of(2026, 2, 1)).isEmpty());
        assertTrue(cron.timesOn(LocalDate.of(2026, 4, 2)).isEmpty());
    }

    @Test
    void tuesdaysAndFridaysAt0005UseIsoWeekdayNumbers() {
        CronExpression cron = CronExpression.parse("00 05 00 * * 2,5");
        assertEquals(List.of(LocalTime.of(0, 5)), cron.timesOn(TUE_2026_03_03));
        assertEquals(List.of(LocalTime.of(0, 5)), cron.timesOn(FRI_2026_03_06));
        assertEquals(List.of(), cron.timesOn(MON_2026_03_02));
        assertEquals(List.of(), cron.timesOn(WED_2026_03_04));
        assertEquals(List.of(), cron.timesOn(SUN_2026_03_08));
        List<LocalDate> matching = matchingDaysOf2026(cron);
        assertEquals(104, matching.size()); // 2026 has 52 Tuesdays and 52 Fridays
        for (LocalDate day : matching) {
            DayOfWeek dow = day.getDayOfWeek();
            assertTrue(dow == DayOfWeek.TUESDAY || dow == DayOfWeek.FRIDAY, day.toString());
        }
    }

    // ---- day matching ----------------------------------------------------------------------------------------

    @Test
    void sundayIsSevenAndMondayIsOne() {
        CronExpression sunday = CronExpression.parse("00 30 05 ? * 7");
        assertTrue(sunday.matchesDay(SUN_2026_03_08));
        assertFalse(sunday.matchesDay(MON_2026_03_02));
        CronExpression monday = CronExpression.parse("00 30 05 ? * 1");
        assertTrue(monday.matchesDay(MON_2026_03_02));
        assertFalse(monday.matchesDay(SUN_2026_03_08));
    }

    @Test
    void unrestrictedDayFieldsMatchEveryDay() {
        for (String text : List.of("00 30 05 * * ?", "00 30 05 ? * *", "00 30 05 ? * ?", "00 30 05 * * *")) {
            assertEquals(365, matchingDaysOf2026(CronExpression.parse(text)).size(), text);
        }
    }

    @Test
    void bothDayFieldsRestrictedMatchesEither() {
        CronExpression cron = CronExpression.parse("00 30 05 15 * 1");
        assertTrue(cron.matchesDay(MON_2026_03_02));              // Monday, not the 15th
        assertTrue(cron.matchesDay(LocalDate.of(2026, 3, 15)));   // the 15th, a Sunday
        assertTrue(cron.matchesDay(LocalDate.of(2026, 6, 15)));   // both
        assertFalse(cron.matchesDay(WED_2026_03_04));
        assertEquals(52 + 12 - 1, matchingDaysOf2026(cron).size()); // 2026-06-15 is a Monday and the 15th
    }

    @Test
    void monthAlwaysApplies() {
        CronExpression cron = CronExpression.parse("00 30 05 ? 3 1");
        assertTrue(cron.matchesDay(MON_2026_03_02));
        assertFalse(cron.matchesDay(LocalDate.of(2026, 6, 15))); // Monday in June
    }

    @Test
    void dayOfMonthMissingFromAMonthSimplyNeverMatchesThere() {
        CronExpression cron = CronExpression.parse("00 30 05 31 * ?");
        assertEquals(7, matchingDaysOf2026(cron).size());
        CronExpression leapDay = CronExpression.parse("00 30 05 29 2 ?");
        assertTrue(matchingDaysOf2026(leapDay).isEmpty());
        assertEquals(List.of(LocalTime.of(5, 30)), leapDay.timesOn(LocalDate.of(2028, 2, 29)));
    }

    // ---- syntax forms ----------------------------------------------------------------------------------------

    @Test
    void stepsRangesListsAndLeadingZeros() {
        assertEquals(times("00:05", "00:25", "00:45"), CronExpression.parse("00 05/20 0 * * ?").timesOn(WED_2026_03_04));
        assertEquals(times("03:10", "03:30", "03:50"), CronExpression.parse("00 10-50/20 03 * * ?").timesOn(WED_2026_03_04));
        assertEquals(times("01:05", "01:35", "13:05", "13:35"),
                CronExpression.parse("00 05,35 01,13 * * ?").timesOn(WED_2026_03_04));
        assertEquals(times("00:30", "06:30", "12:30", "18:30"),
                CronExpression.parse("00 30 */6 * * ?").timesOn(WED_2026_03_04));
        assertEquals(times("06:00", "06:30", "07:00", "07:30", "22:00", "22:30"),
                CronExpression.parse("00 0/30 6-7,22 * * ?").timesOn(WED_2026_03_04));
        assertEquals(times("10:00:30"), CronExpression.parse("30 0 10 * * ?").timesOn(WED_2026_03_04));
        assertEquals(12, matchingDaysOf2026(CronExpression.parse("00 30 05 01 01-12 ?")).size());
    }

    @Test
    void textIsNormalisedAndDefinesEquality() {
        CronExpression a = CronExpression.parse("  00   30\t05 * * ?  ");
        assertEquals("00 30 05 * * ?", a.text());
        assertEquals("00 30 05 * * ?", a.toString());
        assertEquals(CronExpression.parse("00 30 05 * * ?"), a);
        assertEquals(CronExpression.parse("00 30 05 * * ?").hashCode(), a.hashCode());
    }

    @Test
    void returnedTimesAreUnmodifiable() {
        List<LocalTime> times = CronExpression.parse("00 00/10 * * * ?").timesOn(WED_2026_03_04);
        assertThrows(UnsupportedOperationException.class, () -> times.add(LocalTime.NOON));
        assertThrows(UnsupportedOperationException.class, () -> CronExpression.parse("00 30 05 1 * ?")
                .timesOn(WED_2026_03_04).add(LocalTime.NOON));
    }

    // ---- limits ----------------------------------------------------------------------------------------------

    @Test
    void minimumIntervalOfFiveMinutes() {
        assertMessage("00 */2 * * * ?", "minimum scheduling interval is 5 minutes", "2 minutes");
        assertMessage("00 00,03 * * * ?", "minimum scheduling interval is 5 minutes", "00:00", "00:03");
        assertMessage("00 0-59 * * * ?", "minimum scheduling interval is 5 minutes");
        assertMessage("00 58,0 * * * ?", "00:58", "01:00", "2 minutes");        // across the hour
        assertMessage("00 02,58 0,23 * * ?", "23:58", "00:02", "next day");    // across midnight
        assertMessage("00 02,58 0,23 1,31 * ?", "next day");                    // Dec 31 -> Jan 1 etc.

        assertEquals(288, CronExpression.parse("00 */5 * * * ?").timesOn(WED_2026_03_04).size());
        assertEquals(times("00:00", "00:05"), CronExpression.parse("00 00,05 0 * * ?").timesOn(WED_2026_03_04));
        // never on two consecutive days, so 23:58 -> 00:02 never happens back to back
        assertEquals(4, CronExpression.parse("00 02,58 0,23 1 * ?").timesOn(LocalDate.of(2026, 5, 1)).size());
    }

    @Test
    void earliestDailyTimeIs0005() {
        assertMessage("00 00 00 * * ?", "earliest scheduled time is 00:05", "00:00");
        assertMessage("00 04 00 * * ?", "earliest scheduled time is 00:05", "00:04");
        assertMessage("59 04 00 * * ?", "earliest scheduled time is 00:05", "00:04:59");
        assertMessage("00 00 00 1 * ?", "earliest scheduled time is 00:05");
        assertMessage("00 00 00 ? * 1", "earliest scheduled time is 00:05");
        assertEquals(times("00:05"), CronExpression.parse("00 05 00 * * ?").timesOn(WED_2026_03_04));
        // interval schedules may fire at midnight (documented example)
        assertEquals(LocalTime.MIDNIGHT, CronExpression.parse("00 00/10 * * * ?").timesOn(WED_2026_03_04).get(0));
        assertEquals(LocalTime.MIDNIGHT, CronExpression.parse("00 00 * * * ?").timesOn(WED_2026_03_04).get(0));
    }

    @Test
    void messagesNameTheField() {
        assertMessage("00 61 * * * ?", "minutes", "61", "0-59");
        assertMessage("00 30 24 * * ?", "hours", "24", "0-23");
        assertMessage("00 30 05 32 * ?", "day-of-month", "1-31");
        assertMessage("00 30 05 * 13 ?", "month", "1-12");
        assertMessage("00 30 05 * * 0", "day-of-week", "1-7", "Monday");
        assertMessage("*/5 30 05 * * ?", "seconds", "single value");
        assertMessage("00 30 05 * * ? 2026", "year");
        assertMessage("00 30 05 * *", "expected 6 fields", "found 5");
        assertMessage("00 30 05 ? * MON", "day-of-week", "MON", "not a number");
        assertMessage("00 30 05 30 2 ?", "day-of-month", "never");
        assertMessage("00 30 17-8 * * ?", "hours", "17-8", "backwards");
    }

    // ---- malformed input -------------------------------------------------------------------------------------

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "   ",
            "\t\n",
            "garbage",
            "00 30 05",
            "00 30 05 * *",
            "00 30 05 * * ? * *",
            "00 30 05 * * ? 2026",
            "60 30 05 * * ?",
            "00 60 05 * * ?",
            "00 30 24 * * ?",
            "00 30 05 0 * ?",
            "00 30 05 32 * ?",
            "00 30 05 * 0 ?",
            "00 30 05 * 13 ?",
            "00 30 05 * * 0",
            "00 30 05 * * 8",
            "00 30 05 L * ?",
            "00 30 05 15W * ?",
            "00 30 05 LW * ?",
            "00 30 05 ? * 6#3",
            "00 30 05 ? * 5L",
            "00 30 05 ? * MON",
            "00 30 05 ? * MON-FRI",
            "00 30 05 * JAN ?",
            "*/5 30 05 * * ?",
            "0,30 30 05 * * ?",
            "0-10 30 05 * * ?",
            "* 30 05 * * ?",
            "? 30 05 * * ?",
            "00 ? 05 * * ?",
            "00 30 ? * * ?",
            "00 30 05 * ? ?",
            "00 30 05 1,,2 * ?",
            "00 30 05 1, * ?",
            "00 30 05 ,1 * ?",
            "00 30 05- * * ?",
            "00 30 -05 * * ?",
            "00 30 17-8 * * ?",
            "00 30/0 * * * ?",
            "00 /10 * * * ?",
            "00 0/ * * * ?",
            "00 0/10/2 0 * * ?",
            "00 0/61 * * * ?",
            "00 +5 05 * * ?",
            "00 5.5 05 * * ?",
            "00 30 05 * * ?x",
            "00 30 05 * * 2,?",
            "00 30 05 ?/2 * ?",
            "00 30 05 * * 1-",
            "00 30 05 * * -",
            "00 30 05 * * /",
            "00 30 05 * * 1--3",
            "00 99999999999999999999 05 * * ?",
            "00 2147483648 05 * * ?",
            "00 \u0663 05 * * ?",
            "00 30 05 30 2 ?",
            "00 30 05 31 4,6,9,11 ?",
            "00 */2 * * * ?",
            "00 00,03 * * * ?",
            "00 00 00 * * ?",
            "00 04 00 * * ?",
            "0x1E 30 05 * * ?",
            "00 30 05 * * ? ?,*",
            "00 30 05 * * ? */2",
            "00\u00a030 05 * * ?",
    })
    void malformedExpressionsAreRejectedWithInvalidCronException(String text) {
        InvalidCronException e = assertThrows(InvalidCronException.class, () -> CronExpression.parse(text));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid cron expression"), e.getMessage());
        assertEquals(text, e.expression());
    }

    @Test
    void randomInputOnlyEverFailsWithInvalidCronException() {
        Random random = new Random(20260303L);
        String[] pieces = {"0", "00", "05", "1", "2", "7", "12", "23", "31", "59", "60", "99", "*", "?", ",", "-", "/",
                "L", "W", "#", "MON", " ", " ", " ", "\t", "x", "-1", "*/", "/5"};
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(20);
            for (int j = 0; j < length; j++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            parsed += tryParse(sb.toString()) ? 1 : 0;
        }
        String[][] fieldChoices = {
                {"00", "0", "30", "*/5", "0-10", "60"},
                {"00", "05", "*/5", "*/10", "0/15", "0-59/10", "5,35", "*/2", "0-59", "61", "10-5", "?"},
                {"00", "*", "8-17", "*/6", "0,12", "23", "24", "?"},
                {"*", "?", "1", "15", "31", "1-7/2", "29", "30", "0", "L"},
                {"*", "1", "2", "1-12/3", "4,6,9,11", "13", "?"},
                {"*", "?", "1", "7", "2,5", "1-5", "0", "8", "MON"},
        };
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (String[] choices : fieldChoices) {
                sb.append(choices[random.nextInt(choices.length)]).append(' ');
            }
            if (random.nextInt(4) == 0) {
                sb.append(random.nextBoolean() ? "?" : "*");
            }
            parsed += tryParse(sb.toString()) ? 1 : 0;
        }
        assertTrue(parsed > 100, "the generated corpus should contain valid expressions too, got " + parsed);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Parses; valid results must respect both limits on sample days. Returns false if rejected. */
    private static boolean tryParse(String text) {
        CronExpression cron;
        try {
            cron = CronExpression.parse(text);
        } catch (InvalidCronException expected) {
            assertNotNull(expected.getMessage());
            return false;
        } catch (RuntimeException other) {
            fail("'" + text + "' threw " + other, other);
            return false;
        }
        for (LocalDate day : List.of(THU_2026_01_01, MON_2026_03_02, SUN_2026_03_08, LocalDate.of(2028, 2, 29))) {
            List<LocalTime> times = cron.timesOn(day);
            for (int i = 1; i < times.size(); i++) {
                assertTrue(times.get(i - 1).plusMinutes(5).compareTo(times.get(i)) <= 0, text);
            }
            if (times.size() == 1) { // fires once a day: the 00:05 rule applies
                assertFalse(times.get(0).isBefore(LocalTime.of(0, 5)), text);
            }
        }
        return true;
    }

    private static void assertMessage(String text, String... fragments) {
        InvalidCronException e = assertThrows(InvalidCronException.class, () -> CronExpression.parse(text));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
        }
        assertTrue(e.getMessage().contains(text.strip()), e.getMessage());
    }

    private static List<LocalTime> times(String... texts) {
        List<LocalTime> result = new ArrayList<>();
        for (String t : texts) {
            result.add(LocalTime.parse(t));
        }
        return result;
    }

    private static List<LocalDate> daysOf2026() {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2026, 1, 1); d.getYear() == 2026; d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    private static List<LocalDate> matchingDaysOf2026(CronExpression cron) {
        List<LocalDate> result = new ArrayList<>();
        for (LocalDate day : daysOf2026()) {
            if (cron.matchesDay(day)) {
                result.add(day);
            }
            assertEquals(cron.matchesDay(day), !cron.timesOn(day).isEmpty(), day.toString());
        }
        return result;
    }
}
