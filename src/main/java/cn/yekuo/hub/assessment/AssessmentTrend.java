package cn.yekuo.hub.assessment;

import cn.yekuo.hub.reports.Csv;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonProperty;

import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Node;

/**
 * The on-time rate month by month (issue 21 item 5), per unit and per node, counted exactly as the monthly assessment
 * counts its 达标率 ({@link AssessmentReports#compute}): a month's clocks are the timed nodes <em>completed</em> in it
 * (business zone, cancelled ones left out); a clock is on time when it completed with no overrun day (the customer's
 * pauses already left out of its clock); each clock counts once for the node and once for every unit it ran against.
 * A clock still running past its due time is not in the rate (it has no outcome yet; it counts, as late, in the month
 * it completes): it is shown beside the rate as {@code overdueOpen}, in the month it fell due. Per representative: the
 * clocks of the cases each one handles (a case with none, or one no longer on the roster, is the roster's first's).
 */
@Component
public class AssessmentTrend {

    private final AssessmentStore store;
    private final Roster roster;
    private final Clock clock;
    private final ZoneId zone;

    public AssessmentTrend(AssessmentStore store, Roster roster, Clock clock, HubProperties hub) {
        this.store = store;
        this.roster = roster;
        this.clock = clock;
        this.zone = hub.businessZone();
    }

    /** One month of a series: clocks completed, of them on time, and clocks due that month still running overdue now. */
    public record Point(String month, int completed, int onTime, int overdueOpen) {
        /** On time / completed; null when nothing completed. */
        @JsonProperty("onTimeRate")
        public Double rate() {
            return completed == 0 ? null : (double) onTime / completed;
        }

        @JsonProperty("late")
        public int late() {
            return completed - onTime;
        }
    }

    /** A unit (key = its code) or a node (key = its name) with one point per month, oldest first. */
    public record Series(String key, String name, List<Point> points) {
    }

    public record Trend(String from, String to, ZoneId zone, List<String> months, List<Series> units, List<Series> nodes,
                        List<Series> representatives) {
    }

    /** The current month (to date) of the business zone. */
    public YearMonth currentMonth() {
        return YearMonth.now(clock.withZone(zone));
    }

    /** The {@code months} months ending with {@code last} (inclusive), oldest first. */
    public Trend trend(YearMonth last, int months) {
        YearMonth first = last.minusMonths(months - 1L);
        OffsetDateTime from = first.atDay(1).atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime to = last.plusMonths(1).atDay(1).atStartOfDay(zone).toOffsetDateTime();
        Map<String, int[][]> units = new LinkedHashMap<>(); // [month][completed, on time, overdue open]
        for (Unit u : Unit.values()) {
            if (u != Unit.ASSESSMENT && u != Unit.CUSTOMER_REP) {
                units.put(u.code(), new int[months][3]);
            }
        }
        Map<Node, int[][]> nodes = new LinkedHashMap<>();
        for (Node n : Node.values()) {
            // the construction unit's nodes are listed once a rule set times them (none by default)
            if (n != Node.RETURN_VISIT_REPORT && n != Node.DESIGN && n != Node.RECTIFICATION) {
                nodes.put(n, new int[months][3]);
            }
        }
        Map<String, int[][]> representatives = new LinkedHashMap<>();
        for (Roster.Representative r : roster.all()) {
            representatives.put(r.id(), new int[months][3]);
        }
        for (AssessmentStore.CompletedNode done : store.nodesCompletedBetween(from, to)) {
            int m = index(first, done.completedAt());
            int onTime = done.overrunDays() == 0 ? 1 : 0;
            int[] n = nodes.computeIfAbsent(done.node(), k -> new int[months][3])[m];
            n[0]++;
            n[1] += onTime;
            int[] r = representatives.get(roster.of(done.representative()).id())[m];
            r[0]++;
            r[1] += onTime;
            for (String unit : done.responsible().split(",")) {
                int[] u = units.computeIfAbsent(unit, k -> new int[months][3])[m];
                u[0]++;
                u[1] += onTime;
            }
        }
        for (AssessmentStore.OverdueNode open : store.runningOverdueDueBetween(from, to, OffsetDateTime.now(clock))) {
            int m = index(first, open.dueAt());
            nodes.computeIfAbsent(open.node(), k -> new int[months][3])[m][2]++;
            representatives.get(roster.of(open.representative()).id())[m][2]++;
            for (String unit : open.responsible().split(",")) {
                units.computeIfAbsent(unit, k -> new int[months][3])[m][2]++;
            }
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < months; i++) {
            labels.add(first.plusMonths(i).toString());
        }
        List<Series> unitSeries = new ArrayList<>();
        units.forEach((unit, counts) -> unitSeries.add(new Series(unit, AssessmentReports.nameOf(unit), points(labels, counts))));
        List<Series> nodeSeries = new ArrayList<>();
        nodes.forEach((node, counts) -> nodeSeries.add(new Series(node.name(), node.chinese(), points(labels, counts))));
        List<Series> representativeSeries = new ArrayList<>();
        representatives.forEach((id, counts) -> representativeSeries.add(new Series(id, roster.of(id).name(), points(labels, counts))));
        return new Trend(first.toString(), last.toString(), zone, labels, unitSeries, nodeSeries, representativeSeries);
    }

    private int index(YearMonth first, OffsetDateTime t) {
        YearMonth m = YearMonth.from(t.atZoneSameInstant(zone));
        return (int) first.until(m, java.time.temporal.ChronoUnit.MONTHS);
    }

    private static List<Point> points(List<String> labels, int[][] counts) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            points.add(new Point(labels.get(i), counts[i][0], counts[i][1], counts[i][2]));
        }
        return points;
    }

    /**
     * One row per series and month: {@code group} (unit, node or representative), {@code key}, {@code name}, {@code month}, {@code completed},
     * {@code on_time}, {@code late}, {@code on_time_rate} (a fraction with four decimals, empty when nothing completed),
     * {@code overdue_open}.
     */
    public String csv(Trend t) {
        Csv csv = new Csv().row("group", "key", "name", "month", "completed", "on_time", "late", "on_time_rate", "overdue_open");
        rows(csv, "unit", t.units());
        rows(csv, "node", t.nodes());
        rows(csv, "representative", t.representatives());
        return csv.toString();
    }

    private static void rows(Csv csv, String group, List<Series> series) {
        for (Series s : series) {
            for (Point p : s.points()) {
                csv.row(group, s.key(), s.name(), p.month(), p.completed(), p.onTime(), p.late(),
                        p.rate() == null ? "" : String.format(Locale.ROOT, "%.4f", p.rate()), p.overdueOpen());
            }
        }
    }
}
