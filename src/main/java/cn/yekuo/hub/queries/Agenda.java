package cn.yekuo.hub.queries;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.time.CalendarYear;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.time.WorkingCalendar;

/**
 * The agenda (issue 21 item 3): every running utility clock due in the next days, day by day in the business zone,
 * each day marked from the hub's working-day calendar; the clocks already past their due time come first on their own.
 * A clock paused for the customer has no due time and is not on the agenda.
 */
@Repository
public class Agenda {

    /** How a day counts in the working-day calendar (the State Council's notice of its year). */
    public enum DayKind {
        /** Monday–Friday, no notice against it. */
        WORKDAY,
        /** Saturday or Sunday, no notice against it. */
        WEEKEND,
        /** A day off of the notice (节假日), weekday or weekend. */
        HOLIDAY,
        /** A weekend day worked (调休上班). */
        MAKEUP_WORKDAY
    }

    /**
     * What the agenda is narrowed to. {@code unit}: a unit code; a clock is the unit's when the unit owes an open task
     * of the clock's node, or, with no task open, when the clock runs against it. {@code representative}: a roster id; a
     * clock is theirs when its case is — a case with no representative, or one no longer on the roster, is the roster's
     * first's ({@code roster}: every id, in the configured order), as everywhere in the hub.
     */
    public record Filter(String unit, String representative, List<String> roster) {
        public static final Filter NONE = new Filter(null, null, List.of());

        public Filter {
            roster = roster == null ? List.of() : List.copyOf(roster);
        }
    }

    /** One running clock: the units it waits on (open tasks' units, else the responsible units) and its open tasks. */
    public record RunningClock(String caseNo, String customerName, Stage stage, Node node, List<String> units, List<OpenTask> tasks,
                        OffsetDateTime dueAt, DueStatus dueStatus) {
    }

    public record OpenTask(int no, TaskKind kind, String titleZh, String titleEn, String unit) {
    }

    /** {@code calendarData}: false when the year has no notice loaded (Monday–Friday is assumed, as the clocks do). */
    public record Day(LocalDate date, DayOfWeek weekday, DayKind kind, boolean workingDay, boolean calendarData,
                      boolean today, List<RunningClock> clocks) {
    }

    public record View(ZoneId zone, LocalDate today, String unit, String representative, List<RunningClock> overdue, List<Day> days) {
    }

    private final NamedParameterJdbcTemplate named;
    private final WorkingCalendar calendar;
    private final java.time.Clock clock;
    private final ZoneId zone;

    public Agenda(JdbcTemplate jdbc, WorkingCalendar calendar, java.time.Clock clock, HubProperties hub) {
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.calendar = calendar;
        this.clock = clock;
        this.zone = hub.businessZone();
    }

    /** Today and the {@code days - 1} days after it (business zone), and every clock already overdue. */
    public View read(int days, Filter filter) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate today = now.atZoneSameInstant(zone).toLocalDate();
        OffsetDateTime end = today.plusDays(days).atStartOfDay(zone).toOffsetDateTime();
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("now", now).addValue("end", end);
        String sql = """
                select n.id, c.case_no, c.customer_name, c.stage, n.node, n.responsible, n.due_at, n.warning_at, n.missed_at
                from case_node n join yk_case c on c.id = n.case_id
                where n.completed_at is null and n.cancelled_at is null and n.due_at is not null
                  and (n.due_at < :end or n.missed_at is not null)""" + conditions(filter, p) + """

                order by n.due_at, c.case_no, n.id""";
        List<Row> rows = named.query(sql, p, this::row);
        Map<Long, List<OpenTask>> tasks = openTasks(rows.stream().map(Row::nodeId).toList());
        List<RunningClock> overdue = new ArrayList<>();
        Map<LocalDate, List<RunningClock>> byDay = new LinkedHashMap<>();
        for (Row r : rows) {
            List<OpenTask> open = tasks.getOrDefault(r.nodeId(), List.of());
            List<String> units = open.isEmpty() ? r.responsible() : open.stream().map(OpenTask::unit).distinct().toList();
            DueStatus status = DueStatus.of(true, r.dueAt(), r.warningAt(), r.missedAt(), now);
            RunningClock c = new RunningClock(r.caseNo(), r.customerName(), r.stage(), r.node(), units, open,
                    r.dueAt().atZoneSameInstant(zone).toOffsetDateTime(), status);
            if (status == DueStatus.OVERDUE) {
                overdue.add(c);
            } else {
                byDay.computeIfAbsent(r.dueAt().atZoneSameInstant(zone).toLocalDate(), d -> new ArrayList<>()).add(c);
            }
        }
        List<Day> dayList = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            LocalDate d = today.plusDays(i);
            Optional<CalendarYear> year = calendar.year(d.getYear());
            dayList.add(new Day(d, d.getDayOfWeek(), kind(d), calendar.isWorkingDay(d), year.isPresent(), i == 0,
                    byDay.getOrDefault(d, List.of())));
        }
        return new View(zone, today, filter.unit(), filter.representative(), overdue, dayList);
    }

    /** The day's kind by the notice of its year; a year without one is Monday–Friday. */
    public DayKind kind(LocalDate day) {
        boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
        Optional<CalendarYear> year = calendar.year(day.getYear());
        if (year.isPresent() && year.get().holidays().contains(day)) {
            return DayKind.HOLIDAY;
        }
        if (year.isPresent() && year.get().workdays().contains(day)) {
            return DayKind.MAKEUP_WORKDAY;
        }
        return weekend ? DayKind.WEEKEND : DayKind.WORKDAY;
    }

    /** The filter as SQL conditions on {@code n} (case_node) and {@code c} (yk_case); one line per criterion. */
    private static String conditions(Filter f, MapSqlParameterSource p) {
        StringBuilder where = new StringBuilder();
        if (f.unit() != null && !f.unit().isBlank()) {
            // the unit owes an open task of the node; or no task is open and the clock runs against the unit
            where.append("""

                      and (exists (select 1 from case_task t where t.node_id = n.id and t.status = 'OPEN' and t.unit = :unit)
                           or (not exists (select 1 from case_task t where t.node_id = n.id and t.status = 'OPEN')
                               and (',' || n.responsible || ',') like :unitInList escape '\\'))""");
            p.addValue("unit", f.unit()).addValue("unitInList", "%," + CaseQueries.likeEscape(f.unit()) + ",%");
        }
        if (f.representative() != null) {
            boolean first = !f.roster().isEmpty() && f.roster().get(0).equals(f.representative());
            where.append(first ? """

                      and (c.representative_id = :rep or c.representative_id is null or c.representative_id not in (:roster))"""
                    : """

                      and c.representative_id = :rep""");
            p.addValue("rep", f.representative()).addValue("roster", f.roster());
        }
        return where.toString();
    }

    private record Row(long nodeId, String caseNo, String customerName, Stage stage, Node node, List<String> responsible,
                       OffsetDateTime dueAt, OffsetDateTime warningAt, OffsetDateTime missedAt) {
    }

    private Row row(ResultSet rs, int i) throws SQLException {
        String responsible = rs.getString("responsible");
        return new Row(rs.getLong("id"), rs.getString("case_no"), rs.getString("customer_name"), Stage.valueOf(rs.getString("stage")),
                Node.valueOf(rs.getString("node")),
                responsible == null || responsible.isBlank() ? List.of() : List.of(responsible.split(",")),
                rs.getObject("due_at", OffsetDateTime.class), rs.getObject("warning_at", OffsetDateTime.class),
                rs.getObject("missed_at", OffsetDateTime.class));
    }

    private Map<Long, List<OpenTask>> openTasks(List<Long> nodeIds) {
        Map<Long, List<OpenTask>> tasks = new LinkedHashMap<>();
        if (nodeIds.isEmpty()) {
            return tasks;
        }
        for (List<Long> chunk : chunks(nodeIds)) {
            named.query("select node_id, task_no, kind, unit from case_task where status = 'OPEN' and node_id in (:ids) order by task_no",
                    new MapSqlParameterSource("ids", chunk), rs -> {
                        TaskKind kind = TaskKind.valueOf(rs.getString("kind"));
                        tasks.computeIfAbsent(rs.getLong("node_id"), k -> new ArrayList<>())
                                .add(new OpenTask(rs.getInt("task_no"), kind, kind.titleZh(), kind.titleEn(), rs.getString("unit")));
                    });
        }
        return tasks;
    }

    /** In-lists of at most 1000 ids (what every database takes). */
    private static List<List<Long>> chunks(List<Long> ids) {
        List<List<Long>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 1000) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + 1000)));
        }
        return chunks;
    }
}
