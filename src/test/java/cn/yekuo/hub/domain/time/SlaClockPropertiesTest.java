package cn.yekuo.hub.domain.time;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of deadlines over 2025–2026 (and the fallback year after) for any limit and pause. */
class SlaClockPropertiesTest {

    private static final LocalDate FIRST = LocalDate.of(2025, 1, 1);
    private static final ZoneOffset SHANGHAI = ZoneOffset.ofHours(8);

    private final WorkingCalendar calendar = WorkingCalendar.fromClasspath();
    private final SlaClock clock = new SlaClock(calendar, java.time.ZoneId.of("Asia/Shanghai"));

    @Provide
    Arbitrary<OffsetDateTime> starts() {
        return Arbitraries.integers().between(0, 730).flatMap(day -> Arbitraries.integers().between(0, 24 * 60 - 1)
                .map(minute -> FIRST.plusDays(day).atStartOfDay().plusMinutes(minute).atOffset(SHANGHAI)));
    }

    private static TimeLimitRule rule(int limit, DayKind days) {
        return TimeLimitRule.of(Node.DESIGN_REVIEW, limit, days);
    }

    private static Pause pause(OffsetDateTime start, int startOffsetHours, int lengthHours) {
        OffsetDateTime from = start.plusHours(startOffsetHours);
        return Pause.between(from, from.plusHours(lengthHours));
    }

    @Property
    void aPauseNeverMakesADeadlineEarlier(@ForAll("starts") OffsetDateTime start,
                                          @ForAll @IntRange(min = 1, max = 30) int limit,
                                          @ForAll DayKind days,
                                          @ForAll @IntRange(min = -100, max = 1200) int pauseOffsetHours,
                                          @ForAll @IntRange(min = 0, max = 600) int pauseHours) {
        OffsetDateTime without = clock.deadline(rule(limit, days), start).dueAt();
        OffsetDateTime with = clock.deadline(rule(limit, days), start,
                List.of(pause(start, pauseOffsetHours, pauseHours))).dueAt();
        assertThat(with).isAfterOrEqualTo(without);
    }

    @Property
    void aPauseBeganBeforeTheDeadlineExtendsItByExactlyTheWorkingDaysItCovers(
            @ForAll("starts") OffsetDateTime start,
            @ForAll @IntRange(min = 1, max = 30) int limit,
            @ForAll @IntRange(min = 0, max = 1000) int pauseOffsetHours,
            @ForAll @IntRange(min = 0, max = 600) int pauseHours) {
        LocalDate startDay = start.toLocalDate();
        LocalDate lastDay = calendar.addWorkingDays(startDay, limit);
        Pause pause = pause(start, pauseOffsetHours, pauseHours);
        LocalDate from = pause.start().toLocalDate();
        if (!from.isBefore(lastDay)) {
            return; // a pause from the due day on does not move the deadline (tested in SlaClockTest)
        }
        int covered = calendar.workingDaysBetween(from, pause.end().toLocalDate());
        assertThat(clock.deadline(rule(limit, DayKind.WORKING), start, List.of(pause)).lastDay())
                .contains(calendar.addWorkingDays(startDay, limit + covered));
    }

    @Property
    void aWorkingDayDeadlineEndsAtTheEndOfAWorkingDayAfterTheStart(@ForAll("starts") OffsetDateTime start,
                                                                   @ForAll @IntRange(min = 1, max = 30) int limit) {
        OffsetDateTime due = clock.deadline(rule(limit, DayKind.WORKING), start).dueAt();
        assertThat(calendar.isWorkingDay(due.toLocalDate())).isTrue();
        assertThat(due.toLocalTime().toString()).isEqualTo("23:59:59");
        assertThat(due.getOffset()).isEqualTo(SHANGHAI);
        assertThat(due.toLocalDate()).isAfter(start.toLocalDate());
    }

    @Property
    void theWarningFallsBetweenTheStartAndTheDeadline(@ForAll("starts") OffsetDateTime start,
                                                      @ForAll @IntRange(min = 1, max = 30) int limit,
                                                      @ForAll DayKind days) {
        Deadline deadline = clock.deadline(rule(limit, days), start);
        assertThat(deadline.warningAt()).isAfterOrEqualTo(start).isBefore(deadline.dueAt());
    }

    @Property
    void overdueExactlyWhenThereAreOverrunDays(@ForAll("starts") OffsetDateTime start,
                                               @ForAll @IntRange(min = 1, max = 30) int limit,
                                               @ForAll DayKind days,
                                               @ForAll @IntRange(min = 0, max = 2000) int hoursLater) {
        Deadline deadline = clock.deadline(rule(limit, days), start);
        OffsetDateTime at = start.plusHours(hoursLater);
        assertThat(deadline.isOverdue(at)).isEqualTo(deadline.overrunDays(at) > 0);
        assertThat(deadline.isOverdue(at)).isEqualTo(at.isAfter(deadline.dueAt()));
    }
}
