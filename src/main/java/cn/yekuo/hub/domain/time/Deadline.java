package cn.yekuo.hub.domain.time;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The deadline of one node (docs/contract.md §1 {@code dueAt}), with warning and overrun.
 *
 * <p>Model: the utility's time is made of <em>counted days</em> after the start day D: working days
 * (or all days for calendar limits) not covered by a pause. A pause from day S to day R covers
 * (S, R]: its start day is the utility's, its resume day is not. The last allowed day is the
 * {@code limit}-th counted day after D, so a pause before it extends the deadline by the days it
 * covers, and days paused after it are not counted as overrun.
 */
public final class Deadline {

    /** No real node runs for a century; stops a loop on absurd input. */
    private static final int MAX_DAYS = 100 * 366;

    private final WorkingCalendar calendar;
    private final ZoneId zone;
    private final TimeLimitRule rule;
    private final OffsetDateTime startedAt;
    private final LocalDate startDay;
    private final List<Pause> pauses;
    private final LocalDate openPauseStartDay;
    private final LocalDate lastDay;

    Deadline(WorkingCalendar calendar, ZoneId zone, TimeLimitRule rule, OffsetDateTime startedAt, List<Pause> pauses) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.pauses = List.copyOf(pauses);
        this.startDay = businessDay(startedAt);
        this.openPauseStartDay = this.pauses.stream().filter(Pause::isOpen)
                .map(p -> businessDay(p.start())).min(LocalDate::compareTo).orElse(null);
        this.lastDay = findLastDay();
    }

    /** Dates are taken in the business time zone whatever the offset of the input. */
    private LocalDate businessDay(OffsetDateTime time) {
        return time.atZoneSameInstant(zone).toLocalDate();
    }

    private OffsetDateTime endOf(LocalDate day) {
        return day.atTime(LocalTime.of(23, 59, 59)).atZone(zone).toOffsetDateTime();
    }

    private OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay(zone).toOffsetDateTime();
    }

    private LocalDate findLastDay() {
        int counted = 0;
        LocalDate day = startDay;
        for (int i = 0; i < MAX_DAYS; i++) {
            day = day.plusDays(1);
            if (openPauseStartDay != null && day.isAfter(openPauseStartDay)) {
                return null; // the customer is still working: the limit cannot be used up yet
            }
            if (counts(day) && ++counted == rule.limit()) {
                return day;
            }
        }
        throw new IllegalStateException("no deadline within " + MAX_DAYS + " days of " + startDay + "; pauses: " + pauses);
    }

    /** A day the utility is charged for: a working day (any day for calendar limits) not covered by a pause. */
    private boolean counts(LocalDate day) {
        return (rule.days() == DayKind.CALENDAR || calendar.isWorkingDay(day)) && !paused(day);
    }

    private boolean paused(LocalDate day) {
        for (Pause p : pauses) {
            if (day.isAfter(businessDay(p.start())) && (p.isOpen() || !day.isAfter(businessDay(p.end())))) {
                return true;
            }
        }
        return false;
    }

    /** True while a pause is open: the clock is stopped and no due time is shown. */
    public boolean isStopped() {
        return openPauseStartDay != null;
    }

    /** End (23:59:59 +08:00) of the last allowed day; null while stopped (docs/contract.md §1: null while waiting for the customer). */
    public OffsetDateTime dueAt() {
        return isStopped() || lastDay == null ? null : endOf(lastDay);
    }

    /**
     * The moment the deadline counts as missed: the start (00:00 +08:00) of the day after the last allowed day,
     * when {@link #isOverdue} turns true; null while stopped.
     */
    public OffsetDateTime missedFrom() {
        return dueAt() == null ? null : startOf(lastDay.plusDays(1));
    }

    /** The last allowed day when it is already determined, even while a later pause is open. */
    public Optional<LocalDate> lastDay() {
        return Optional.ofNullable(lastDay);
    }

    /**
     * Start (00:00 +08:00) of the day from which only the warning share of the limit remains, moved
     * earlier if needed so that at least {@code atLeastWorkingDays} working days (due day included)
     * are left, and never before the start; null while stopped.
     */
    public OffsetDateTime warningAt() {
        if (dueAt() == null) {
            return null;
        }
        WarningThreshold warning = rule.warning();
        LocalDate warnDay = lastDay.plusDays(1); // neither rule asks for a warning: it coincides with the deadline
        int remaining = warning.remainingDays(rule.limit());
        if (remaining > 0) {
            warnDay = min(warnDay, countBack(remaining, this::counts));
        }
        if (warning.atLeastWorkingDays() > 0) {
            warnDay = min(warnDay, countBack(warning.atLeastWorkingDays(), calendar::isWorkingDay));
        }
        OffsetDateTime at = startOf(warnDay);
        return at.isBefore(startedAt) ? startedAt : at;
    }

    /** The {@code n}-th matching day counting back from the last day (included), not before the start day. */
    private LocalDate countBack(int n, Predicate<LocalDate> matching) {
        int found = 0;
        for (LocalDate day = lastDay; day.isAfter(startDay); day = day.minusDays(1)) {
            if (matching.test(day) && ++found == n) {
                return day;
            }
        }
        return startDay;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    /** Whether the last allowed day has ended by {@code now}; stays true through a pause begun after it. */
    public boolean isOverdue(OffsetDateTime now) {
        return lastDay != null && !now.isBefore(startOf(lastDay.plusDays(1)));
    }

    /**
     * Whole days over the limit at {@code completedAtOrNow}: counted days (working or calendar per the
     * rule, paused days excluded) after the last allowed day; any lateness is at least 1, so 0 means on time.
     */
    public int overrunDays(OffsetDateTime completedAtOrNow) {
        if (!isOverdue(completedAtOrNow)) {
            return 0;
        }
        LocalDate until = businessDay(completedAtOrNow);
        int over = 0;
        for (LocalDate day = lastDay.plusDays(1); !day.isAfter(until); day = day.plusDays(1)) {
            if (counts(day)) {
                over++;
            }
        }
        return Math.max(1, over);
    }

    public TimeLimitRule rule() {
        return rule;
    }

    public OffsetDateTime startedAt() {
        return startedAt;
    }

    public List<Pause> pauses() {
        return pauses;
    }
}
