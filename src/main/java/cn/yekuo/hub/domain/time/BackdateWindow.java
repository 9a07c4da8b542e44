package cn.yekuo.hub.domain.time;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How far back a representative may date a pause for the customer (补录暂停, docs/domain.md "Waiting for the customer"):
 * the working days after the pause's day up to today (business zone) must be at most {@code workingDays}. Working days,
 * not calendar days, so a pause recorded on Monday for Friday's call counts one day, not three: the window measures how
 * late the representative is, and no one records on a holiday.
 *
 * @param workingDays the window (0: only today)
 */
public record BackdateWindow(int workingDays) {

    public BackdateWindow {
        if (workingDays < 0) {
            throw new IllegalArgumentException("workingDays must not be negative: " + workingDays);
        }
    }

    /** Why {@code from} cannot start a pause recorded at {@code now}; null when it can. */
    public String refusal(OffsetDateTime from, OffsetDateTime now, WorkingCalendar calendar, ZoneId zone) {
        Objects.requireNonNull(from, "from");
        if (from.isAfter(now)) {
            return "must not be in the future";
        }
        LocalDate day = from.atZoneSameInstant(zone).toLocalDate();
        LocalDate today = now.atZoneSameInstant(zone).toLocalDate();
        int back = calendar.workingDaysBetween(day, today);
        if (back > workingDays) {
            return "is " + back + " working days back; at most " + workingDays + " allowed (yk.assessment.backdate-window-days)";
        }
        return null;
    }

    /** The earliest day a pause recorded on {@code today} may start on. */
    public LocalDate earliestDay(LocalDate today, WorkingCalendar calendar) {
        LocalDate day = today;
        // walk back while the working days in (day - 1, today] stay within the window
        while (calendar.workingDaysBetween(day.minusDays(1), today) <= workingDays) {
            day = day.minusDays(1);
        }
        return day;
    }
}
