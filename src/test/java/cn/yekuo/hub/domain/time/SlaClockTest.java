package cn.yekuo.hub.domain.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlaClockTest {

    private final WorkingCalendar calendar = WorkingCalendar.fromClasspath();
    private final SlaClock clock = new SlaClock(calendar, java.time.ZoneId.of("Asia/Shanghai"));
    private final TimeLimitRules rules = TimeLimitRules.loadDefault();

    private static OffsetDateTime t(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset);
    }

    /** A Shanghai local time, e.g. "2026-11-27T09:30". */
    private static OffsetDateTime sh(String local) {
        return t(local + ":00+08:00");
    }

    private static OffsetDateTime endOf(String day) {
        return t(day + "T23:59:59+08:00");
    }

    private TimeLimitRule rule(Node node, int sources, OffsetDateTime acceptedAt) {
        return rules.ruleFor(node, sources, acceptedAt.toLocalDate()).orElseThrow();
    }

    private final OffsetDateTime contractExampleStart = sh("2026-11-27T09:30");
    private final TimeLimitRule scheme15 = rule(Node.SCHEME_REPLY, 1, contractExampleStart);

    @Test
    void contractExampleSingleSourceSchemeAcceptedOn20261127IsDueAtTheEndOf20261218() {
        Deadline deadline = clock.deadline(scheme15, contractExampleStart);
        assertThat(deadline.dueAt()).isEqualTo(t("2026-12-18T23:59:59+08:00"));
        assertThat(deadline.dueAt().toString()).isEqualTo("2026-12-18T23:59:59+08:00");
        assertThat(deadline.isStopped()).isFalse();
    }

    @ParameterizedTest(name = "{0} {1} source(s) started {2} → due end of {3}")
    @CsvSource({
            // Spring Festival 2026: off Feb 15–23, make-up Saturdays Feb 14 and Feb 28
            "SCHEME_REPLY,          1, 2026-02-05T10:00, 2026-03-04",
            "COMPLETION_ACCEPTANCE, 1, 2026-02-13T10:00, 2026-02-27",
            "MID_INSPECTION,        1, 2026-02-14T10:00, 2026-02-28", // due on the make-up Saturday
            // Mid-Autumn and National Day 2026: off Sep 25–27 and Oct 1–7, make-up Sep 20 and Oct 10
            "SCHEME_REPLY,          2, 2026-09-10T10:00, 2026-10-28",
            "DESIGN_REVIEW,         1, 2026-09-22T14:00, 2026-10-13",
            "MID_INSPECTION,        2, 2026-10-03T11:00, 2026-10-13",
            // calendar days ignore holidays and weekends
            "ENERGIZATION,          1, 2026-09-30T16:00, 2026-10-05",
            "ENERGIZATION,          2, 2026-02-14T08:00, 2026-02-19",
            "RETURN_VISIT_REPORT,   1, 2026-12-28T09:00, 2027-01-07",
            // 1996 rule set: one month modelled as 30 calendar days, chosen by the acceptance date
            "SCHEME_REPLY,          1, 2019-12-31T10:00, 2020-01-30",
            "SCHEME_REPLY,          2, 2019-12-31T10:00, 2020-02-29",
    })
    void dueDatesCountFromTheDayAfterTheStartAcrossHolidays(Node node, int sources, String startedAt, String dueDay) {
        OffsetDateTime start = sh(startedAt);
        assertThat(clock.deadline(rule(node, sources, start), start).dueAt()).isEqualTo(endOf(dueDay));
    }

    @Test
    void theStartDayIsTakenInShanghaiTimeWhateverTheOffsetOfTheInput() {
        assertThat(clock.deadline(scheme15, t("2026-11-26T15:59:59Z")).dueAt())
                .as("Thursday 23:59:59 in Shanghai").isEqualTo(endOf("2026-12-17"));
        assertThat(clock.deadline(scheme15, t("2026-11-26T16:00:00Z")).dueAt())
                .as("Friday 00:00 in Shanghai").isEqualTo(endOf("2026-12-18"));
    }

    @Test
    void aYearWithoutCalendarDataFallsBackToMondayToFridayAndIsReported() {
        WorkingCalendar fresh = WorkingCalendar.fromClasspath();
        Deadline dual = new SlaClock(fresh, java.time.ZoneId.of("Asia/Shanghai")).deadline(rule(Node.SCHEME_REPLY, 2, contractExampleStart), contractExampleStart);

        assertThat(dual.dueAt()).as("2027-01-01 counts as a plain Friday").isEqualTo(endOf("2027-01-08"));
        assertThat(fresh.yearsUsedWithoutData()).containsExactly(2027);
        assertThat(fresh.missingYears(2026, 2027)).containsExactly(2027);
    }

    // --- pauses (waiting for the customer stops the clock) ---

    @ParameterizedTest(name = "pause {0} → {1}: due end of {2}")
    @CsvSource({
            "2026-12-02T10:00, 2026-12-04T15:00, 2026-12-22", // covers Dec 3 and 4: two working days
            "2026-12-04T16:00, 2026-12-07T09:00, 2026-12-21", // covers Sat, Sun, Mon: one working day
            "2026-12-02T10:00, 2026-12-02T16:00, 2026-12-18", // same day: covers nothing
            "2026-11-20T10:00, 2026-12-01T10:00, 2026-12-22", // began before the node: only Nov 30 and Dec 1 count
            "2026-12-18T10:00, 2026-12-21T10:00, 2026-12-18", // began on the due day: that day was the utility's
    })
    void aPauseExtendsTheDeadlineByTheWorkingDaysFromItsStartDateExclusiveToItsResumeDateInclusive(
            String from, String to, String dueDay) {
        Deadline deadline = clock.deadline(scheme15, contractExampleStart, List.of(Pause.between(sh(from), sh(to))));
        assertThat(deadline.dueAt()).isEqualTo(endOf(dueDay));
    }

    @Test
    void overlappingPausesCountEachCoveredDayOnce() {
        List<Pause> pauses = List.of(Pause.between(sh("2026-12-02T10:00"), sh("2026-12-04T10:00")),
                Pause.between(sh("2026-12-03T10:00"), sh("2026-12-08T10:00")));
        assertThat(clock.deadline(scheme15, contractExampleStart, pauses).dueAt()).isEqualTo(endOf("2026-12-24"));
    }

    @Test
    void aPauseOfACalendarDayLimitExtendsItByCalendarDays() {
        OffsetDateTime start = sh("2026-09-30T16:00");
        Deadline deadline = clock.deadline(rule(Node.ENERGIZATION, 1, start), start,
                List.of(Pause.between(sh("2026-10-02T09:00"), sh("2026-10-04T18:00"))));
        assertThat(deadline.dueAt()).isEqualTo(endOf("2026-10-07"));
    }

    @Test
    void whileAPauseIsOpenTheClockIsStoppedAndThereIsNoDueTimeNorWarningNorOverrun() {
        Deadline deadline = clock.deadline(scheme15, contractExampleStart, List.of(Pause.open(sh("2026-12-02T10:00"))));
        assertThat(deadline.isStopped()).isTrue();
        assertThat(deadline.dueAt()).isNull();
        assertThat(deadline.warningAt()).isNull();
        assertThat(deadline.lastDay()).isEmpty();
        assertThat(deadline.isOverdue(sh("2027-03-01T10:00"))).isFalse();
        assertThat(deadline.overrunDays(sh("2027-03-01T10:00"))).isZero();
    }

    @Test
    void daysPausedAfterTheDeadlineAreNotCountedAsOverrun() {
        Deadline deadline = clock.deadline(scheme15, contractExampleStart,
                List.of(Pause.between(sh("2026-12-21T09:00"), sh("2026-12-28T09:00"))));
        assertThat(deadline.dueAt()).isEqualTo(endOf("2026-12-18"));
        assertThat(deadline.overrunDays(sh("2026-12-29T10:00"))).as("Dec 21 and Dec 29 only").isEqualTo(2);
        assertThat(clock.deadline(scheme15, contractExampleStart).overrunDays(sh("2026-12-29T10:00"))).isEqualTo(7);
    }

    @Test
    void aPauseOpenedAfterTheDeadlineHidesTheDueTimeButTheOverrunStaysAndIsFrozen() {
        Deadline deadline = clock.deadline(scheme15, contractExampleStart, List.of(Pause.open(sh("2026-12-22T10:00"))));
        assertThat(deadline.dueAt()).isNull();
        assertThat(deadline.lastDay()).contains(LocalDate.of(2026, 12, 18));
        assertThat(deadline.isOverdue(sh("2026-12-30T10:00"))).isTrue();
        assertThat(deadline.overrunDays(sh("2026-12-30T10:00"))).isEqualTo(2);
        assertThat(deadline.overrunDays(sh("2027-02-01T10:00"))).isEqualTo(2);
    }

    // --- warning ---

    @ParameterizedTest(name = "{0} {1} source(s) started {2} → warn at {3}")
    @CsvSource({
            "SCHEME_REPLY, 1, 2026-11-27T09:30, 2026-12-16T00:00", // 3 of 15 working days left: Dec 16, 17, 18
            "SCHEME_REPLY, 2, 2026-09-10T10:00, 2026-10-21T00:00", // 6 of 30 left: Oct 21–23, 26–28
            "DESIGN_REVIEW, 1, 2026-09-22T14:00, 2026-10-12T00:00", // 2 of 10 left: Oct 12, 13
            "ENERGIZATION, 1, 2026-11-27T10:00, 2026-12-02T00:00", // 1 of 5 calendar days left, a working day
            "ENERGIZATION, 1, 2026-11-24T10:00, 2026-11-27T00:00", // due Sunday: warn on the last working day before
            "ENERGIZATION, 1, 2026-09-30T16:00, 2026-09-30T16:00", // no working day before the due day: warn at once
    })
    void theWarningComesWhenTwentyPercentOfTheLimitRemainsAndAtLeastOneWorkingDayBefore(
            Node node, int sources, String startedAt, String warnAt) {
        OffsetDateTime start = sh(startedAt);
        assertThat(clock.deadline(rule(node, sources, start), start).warningAt()).isEqualTo(sh(warnAt));
    }

    @Test
    void aPauseMovesTheWarningWithTheDeadline() {
        Deadline deadline = clock.deadline(scheme15, contractExampleStart,
                List.of(Pause.between(sh("2026-12-02T10:00"), sh("2026-12-04T15:00"))));
        assertThat(deadline.warningAt()).as("Dec 18, 21, 22 remain").isEqualTo(sh("2026-12-18T00:00"));
    }

    @Test
    void aConfiguredMinimumOfWorkingDaysCanBringTheWarningForward() {
        TimeLimitRule rule = new TimeLimitRule(Node.MID_INSPECTION, Sources.ANY, 5, DayKind.WORKING, List.of("production"),
                new WarningThreshold(20, 3), "test", LocalDate.MIN, RuleSet.DEFAULT_DEDUCTION);
        Deadline deadline = clock.deadline(rule, sh("2026-11-27T10:00"));
        assertThat(deadline.dueAt()).isEqualTo(endOf("2026-12-04"));
        assertThat(deadline.warningAt()).as("three working days: Dec 2, 3, 4").isEqualTo(sh("2026-12-02T00:00"));
    }

    // --- overdue and overrun ---

    @Test
    void aNodeIsOverdueOnlyOnceItsLastAllowedDayHasEnded() {
        Deadline deadline = clock.deadline(scheme15, contractExampleStart);
        assertThat(deadline.isOverdue(t("2026-12-18T23:59:59+08:00"))).isFalse();
        assertThat(deadline.isOverdue(t("2026-12-18T15:59:59.999Z"))).isFalse();
        assertThat(deadline.isOverdue(t("2026-12-18T16:00:00Z"))).isTrue();
        assertThat(deadline.isOverdue(sh("2026-12-19T00:00"))).isTrue();
    }

    @ParameterizedTest(name = "completed {0}: {1} working day(s) over")
    @CsvSource({
            "2026-11-30T10:00, 0",
            "2026-12-18T23:00, 0",
            "2026-12-19T10:00, 1", // late, though only a Saturday passed: any lateness is at least one day
            "2026-12-21T10:00, 1",
            "2026-12-22T10:00, 2",
            "2026-12-31T18:00, 9",
    })
    void overrunDaysAreTheWholeWorkingDaysAfterTheLastAllowedDay(String completedAt, int days) {
        assertThat(clock.deadline(scheme15, contractExampleStart).overrunDays(sh(completedAt))).isEqualTo(days);
    }

    @Test
    void overrunOfACalendarDayLimitCountsCalendarDaysIncludingHolidays() {
        OffsetDateTime start = sh("2026-09-30T16:00");
        Deadline deadline = clock.deadline(rule(Node.ENERGIZATION, 1, start), start);
        assertThat(deadline.overrunDays(sh("2026-10-05T20:00"))).isZero();
        assertThat(deadline.overrunDays(sh("2026-10-08T10:00"))).isEqualTo(3);
    }

    @Test
    void aPauseCannotEndBeforeItStarts() {
        assertThatThrownBy(
                        () -> Pause.between(sh("2026-12-04T10:00"), sh("2026-12-03T10:00")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends");
    }
}
