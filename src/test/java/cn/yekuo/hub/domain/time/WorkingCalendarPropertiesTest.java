package cn.yekuo.hub.domain.time;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of working-day arithmetic over the loaded years and the Monday–Friday fallback around them. */
class WorkingCalendarPropertiesTest {

    private static final LocalDate FIRST = LocalDate.of(2024, 6, 1);
    private static final LocalDate LAST = LocalDate.of(2027, 12, 31);

    private final WorkingCalendar calendar = WorkingCalendar.fromClasspath();

    @Provide
    Arbitrary<LocalDate> days() {
        return Arbitraries.integers().between(0, (int) (LAST.toEpochDay() - FIRST.toEpochDay()))
                .map(FIRST::plusDays);
    }

    @Property
    void theNthWorkingDayAfterADayIsAWorkingDayStrictlyAfterIt(@ForAll("days") LocalDate start,
                                                                @ForAll @IntRange(min = 1, max = 60) int n) {
        LocalDate end = calendar.addWorkingDays(start, n);
        assertThat(calendar.isWorkingDay(end)).isTrue();
        assertThat(end).isAfter(start);
    }

    @Property
    void countingTheWorkingDaysUpToTheNthWorkingDayGivesN(@ForAll("days") LocalDate start,
                                                           @ForAll @IntRange(min = 0, max = 60) int n) {
        assertThat(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n))).isEqualTo(n);
    }

    @Property
    void addingMoreWorkingDaysNeverGivesAnEarlierDay(@ForAll("days") LocalDate start,
                                                     @ForAll @IntRange(min = 0, max = 60) int n) {
        assertThat(calendar.addWorkingDays(start, n + 1)).isAfter(calendar.addWorkingDays(start, n));
    }

    @Property
    void workingDaysBetweenAddsUpOverConsecutivePeriods(@ForAll("days") LocalDate a,
                                                        @ForAll @IntRange(min = 0, max = 90) int first,
                                                        @ForAll @IntRange(min = 0, max = 90) int second) {
        LocalDate b = a.plusDays(first);
        LocalDate c = b.plusDays(second);
        assertThat(calendar.workingDaysBetween(a, b) + calendar.workingDaysBetween(b, c))
                .isEqualTo(calendar.workingDaysBetween(a, c));
    }

    @Property
    void aYearWithoutDataHasExactlyMondayToFridayAsWorkingDays(@ForAll @IntRange(min = 0, max = 364) int dayOfYear) {
        LocalDate day = LocalDate.of(2027, 1, 1).plusDays(dayOfYear);
        assertThat(calendar.isWorkingDay(day)).isEqualTo(day.getDayOfWeek().getValue() <= 5);
    }

    @Property
    void everyDayOnAHolidayListIsOffAndEveryMakeUpDayIsWorked(@ForAll("days") LocalDate day) {
        calendar.year(day.getYear()).ifPresent(notice -> {
            if (notice.holidays().contains(day)) {
                assertThat(calendar.isWorkingDay(day)).isFalse();
            }
            if (notice.workdays().contains(day)) {
                assertThat(calendar.isWorkingDay(day)).isTrue();
            }
        });
    }
}
