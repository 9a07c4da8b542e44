package cn.yekuo.hub.domain.time;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** The window of a back-dated pause (issue 17 point 5) over 2025–2026, holidays and worked weekends included. */
class BackdateWindowProperties {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate FIRST = LocalDate.of(2025, 1, 10);

    private final WorkingCalendar calendar = WorkingCalendar.fromClasspath();

    @Provide
    Arbitrary<OffsetDateTime> nows() {
        return Arbitraries.integers().between(0, 710).flatMap(day -> Arbitraries.integers().between(0, 24 * 60 - 1)
                .map(minute -> FIRST.plusDays(day).atStartOfDay(SHANGHAI).plusMinutes(minute).toOffsetDateTime()));
    }

    @Property
    void theEarliestDayIsInsideTheWindowAndTheDayBeforeItOutside(@ForAll("nows") OffsetDateTime now,
                                                                 @ForAll @IntRange(min = 0, max = 10) int days,
                                                                 @ForAll @IntRange(min = 0, max = 24 * 60 - 1) int minute) {
        BackdateWindow window = new BackdateWindow(days);
        LocalDate today = now.atZoneSameInstant(SHANGHAI).toLocalDate();
        LocalDate earliest = window.earliestDay(today, calendar);

        OffsetDateTime firstAllowed = earliest.atStartOfDay(SHANGHAI).toOffsetDateTime();
        OffsetDateTime lastRefused = firstAllowed.minusSeconds(1);
        if (!firstAllowed.isAfter(now)) {
            assertThat(window.refusal(firstAllowed, now, calendar, SHANGHAI)).isNull();
        }
        assertThat(window.refusal(lastRefused, now, calendar, SHANGHAI)).contains("working days back");
        assertThat(calendar.workingDaysBetween(earliest, today)).isLessThanOrEqualTo(days);
        assertThat(calendar.workingDaysBetween(earliest.minusDays(1), today)).isEqualTo(days + 1);
        // any moment of a day inside the window is allowed (up to now)
        OffsetDateTime inside = earliest.plusDays(Math.floorMod(minute, (int) (today.toEpochDay() - earliest.toEpochDay()) + 1))
                .atStartOfDay(SHANGHAI).plusMinutes(minute).toOffsetDateTime();
        if (!inside.isAfter(now)) {
            assertThat(window.refusal(inside, now, calendar, SHANGHAI)).isNull();
        }
    }

    @Property
    void theFutureIsNeverAllowed(@ForAll("nows") OffsetDateTime now, @ForAll @IntRange(min = 1, max = 100_000) int seconds,
                                 @ForAll @IntRange(min = 0, max = 10) int days) {
        assertThat(new BackdateWindow(days).refusal(now.plusSeconds(seconds), now, calendar, SHANGHAI)).contains("future");
    }

    @Example
    void threeWorkingDaysFromAMondayReachBackToTheWednesdayBeforeAndOverTheNationalDayHolidays() {
        BackdateWindow three = new BackdateWindow(3);
        assertThat(three.earliestDay(LocalDate.of(2026, 12, 7), calendar)).as("Mon 7 Dec: Thu 3, Fri 4, Mon 7 counted")
                .isEqualTo(LocalDate.of(2026, 12, 2));
        // 2026-10-09 (Fri) after Oct 1–7 off and the worked Saturday Oct 10 ahead: Sep 29, 30, Oct 8, 9
        assertThat(three.earliestDay(LocalDate.of(2026, 10, 9), calendar)).isEqualTo(LocalDate.of(2026, 9, 29));
        OffsetDateTime now = OffsetDateTime.parse("2026-12-07T10:00:00+08:00");
        assertThat(three.refusal(OffsetDateTime.parse("2026-12-02T08:00:00+08:00"), now, calendar, SHANGHAI)).isNull();
        assertThat(three.refusal(OffsetDateTime.parse("2026-12-01T23:59:00+08:00"), now, calendar, SHANGHAI))
                .isEqualTo("is 4 working days back; at most 3 allowed (yk.assessment.backdate-window-days)");
    }
}
