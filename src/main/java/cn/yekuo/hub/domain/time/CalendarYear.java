package cn.yekuo.hub.domain.time;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One year of the State Council's holiday notice: days off (放假) and weekend days worked (调休上班).
 *
 * @param year     the calendar year
 * @param source   the notice the data comes from (title and publication date)
 * @param location where it was loaded from, for logs and health
 * @param holidays days off, weekdays or weekends
 * @param workdays weekend days that are working days
 */
public record CalendarYear(int year, String source, String location, SortedSet<LocalDate> holidays,
                           SortedSet<LocalDate> workdays) {

    private static final Set<String> KEYS = Set.of("year", "source", "holidays", "workdays");
    private static final String RANGE = "..";

    public CalendarYear {
        holidays = Collections.unmodifiableSortedSet(new TreeSet<>(holidays));
        workdays = Collections.unmodifiableSortedSet(new TreeSet<>(workdays));
    }

    /** Whether the notice makes {@code day} a working day; weekdays work unless off, weekends rest unless 调休. */
    public boolean isWorkingDay(LocalDate day) {
        if (holidays.contains(day)) {
            return false;
        }
        return workdays.contains(day) || !isWeekend(day);
    }

    static boolean isWeekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** Reads and validates {@code calendar/<year>.yaml}; the file name's year must match its content. */
    static CalendarYear read(YamlDocument doc, int expectedYear) {
        Map<String, Object> root = doc.rootMap();
        doc.onlyKeys(root, KEYS, "calendar");
        int year = doc.integer(doc.required(root, "year", "calendar"), "year");
        if (year != expectedYear) {
            throw doc.error("year " + year + " does not match the file name (expected " + expectedYear + ")");
        }
        String source = String.valueOf(doc.required(root, "source", "calendar"));
        SortedSet<LocalDate> holidays = dates(doc, year, root.get("holidays"), "holidays");
        SortedSet<LocalDate> workdays = dates(doc, year, root.get("workdays"), "workdays");
        for (LocalDate day : workdays) {
            if (holidays.contains(day)) {
                throw doc.error("workdays entry " + day + " is also listed in holidays");
            }
            // 调休上班 only ever moves a weekend day; a weekday here is a typo.
            if (!isWeekend(day)) {
                throw doc.error("workdays entry " + day + " is a " + day.getDayOfWeek()
                        + ", not a weekend day (调休上班 makes a Saturday or Sunday a working day)");
            }
        }
        return new CalendarYear(year, source, doc.location(), holidays, workdays);
    }

    /** Entries are single dates {@code 2026-10-10} or inclusive ranges {@code 2026-10-01..2026-10-07}. */
    private static SortedSet<LocalDate> dates(YamlDocument doc, int year, Object value, String key) {
        SortedSet<LocalDate> result = new TreeSet<>();
        for (Object entry : doc.list(value, key)) {
            String text = String.valueOf(entry).trim();
            String what = key + " entry '" + text + "'";
            LocalDate from;
            LocalDate to;
            int range = text.indexOf(RANGE);
            if (range >= 0) {
                from = doc.date(text.substring(0, range).trim(), what);
                to = doc.date(text.substring(range + RANGE.length()).trim(), what);
                if (to.isBefore(from)) {
                    throw doc.error(what + ": the range ends before it starts");
                }
            } else {
                from = doc.date(text, what);
                to = from;
            }
            if (from.getYear() != year || to.getYear() != year) {
                throw doc.error(what + " is outside the year " + year);
            }
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                if (!result.add(d)) {
                    throw doc.error(what + ": " + d + " is listed twice in " + key);
                }
            }
        }
        return result;
    }
}
