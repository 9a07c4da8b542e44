package cn.yekuo.hub.web;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.queries.CaseQueries.OpenCase;
import cn.yekuo.hub.queries.DueStatus;

/**
 * "My day" (/my, issue 21 item 2): a representative's open cases by urgency. A case is in the first group that fits:
 * its clock is past due; it waits on the customer (clocks stopped); its clock falls due today; by Sunday of this
 * week (business zone); later, or no clock (design and construction are untimed).
 */
public final class MyDay {

    /** The groups, most urgent first. */
    public enum Urgency { OVERDUE, CUSTOMER, TODAY, WEEK, LATER }

    /** One group of one representative's cases. */
    public record Group(Urgency urgency, List<OpenCase> cases) {
    }

    /** One representative's day. */
    public record Day(Roster.Representative representative, List<Group> groups, int total) {
    }

    private MyDay() {
    }

    static Urgency urgency(OpenCase c, LocalDate today, ZoneId zone) {
        if (c.dueStatus() == DueStatus.OVERDUE) {
            return Urgency.OVERDUE;
        }
        if (c.waitReason() != null) {
            return Urgency.CUSTOMER;
        }
        if (c.dueAt() == null) {
            return Urgency.LATER;
        }
        LocalDate due = c.dueAt().atZoneSameInstant(zone).toLocalDate();
        if (!due.isAfter(today)) {
            return Urgency.TODAY;
        }
        return due.isAfter(today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY))) ? Urgency.LATER : Urgency.WEEK;
    }

    /** Each representative's cases in groups (empty groups left out), in the roster's order; cases keep their order. */
    static List<Day> of(List<Roster.Representative> representatives, List<OpenCase> cases, LocalDate today, ZoneId zone) {
        List<Day> days = new ArrayList<>();
        for (Roster.Representative rep : representatives) {
            Map<Urgency, List<OpenCase>> grouped = new EnumMap<>(Urgency.class);
            int total = 0;
            for (OpenCase c : cases) {
                if (rep.id().equals(c.representativeId())) {
                    grouped.computeIfAbsent(urgency(c, today, zone), u -> new ArrayList<>()).add(c);
                    total++;
                }
            }
            List<Group> groups = new ArrayList<>();
            grouped.forEach((u, list) -> groups.add(new Group(u, List.copyOf(list))));
            days.add(new Day(rep, groups, total));
        }
        return days;
    }
}
