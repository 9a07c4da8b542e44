package cn.yekuo.hub.queries;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.workflow.CaseState;
import cn.yekuo.hub.domain.workflow.CustomerWait;
import cn.yekuo.hub.process.CaseStates;

/** What the API and the dashboard read: cases with their running clock, detail, overdue lists, monthly rates. */
@Repository
public class CaseQueries {

    /** The party a case waits on when the customer owes something (materials, formalities, a customer pause). */
    public static final String CUSTOMER = "customer";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final CaseStore cases;
    private final CaseStates states;
    private final Clock clock;
    private final ZoneId zone;

    public CaseQueries(JdbcTemplate jdbc, CaseStore cases, CaseStates states, Clock clock, HubProperties hub) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.cases = cases;
        this.states = states;
        this.clock = clock;
        this.zone = hub.businessZone();
    }

    public record Filter(Stage stage, boolean overdue, String q, boolean openOnly) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
        public int pages() {
            return size == 0 ? 0 : (int) ((total + size - 1) / size);
        }
    }

    public record CaseListItem(String caseNo, String applicationNo, String customerName, String serviceType, Stage stage,
                               Node node, List<String> waitsOn, OffsetDateTime dueAt, DueStatus dueStatus,
                               OffsetDateTime submittedAt, String waitReason) {
    }

    public record NodeView(long id, Node node, String nameZh, List<String> responsible, OffsetDateTime startedAt,
                           OffsetDateTime dueAt, OffsetDateTime warningAt, OffsetDateTime completedAt,
                           OffsetDateTime cancelledAt, OffsetDateTime missedAt, int overrunDays, DueStatus dueStatus) {
    }

    public record TaskView(int no, String token, TaskKind kind, String titleZh, String titleEn, String unit, Stage stage,
                           String status, OffsetDateTime openedAt, OffsetDateTime closedAt, String result,
                           OffsetDateTime dueAt) {
    }

    /**
     * {@code at}: when it happened (the business time of billing's event, or when the hub did it); {@code recordedAt}:
     * when the hub wrote it. The timeline is ordered by {@code at}, then {@code recordedAt}.
     */
    public record TimelineView(OffsetDateTime at, OffsetDateTime recordedAt, String actor, String kind, String stage,
                               String summary, String details) {
    }

    /** {@code contractSigned}: billing or a representative recorded the contract (the workflow's formalities). */
    public record CaseDetail(CaseRecord record, Stage stage, CustomerWait customerWait, NodeView currentNode,
                             List<String> waitsOn, List<NodeView> nodes, List<TaskView> tasks, List<TimelineView> timeline,
                             boolean contractSigned) {
    }

    // ------------------------------------------------------------------ list

    private static final String FROM = """
            from yk_case c
            left join case_node n on n.id = (select max(x.id) from case_node x
                where x.case_id = c.id and x.completed_at is null and x.cancelled_at is null)
            """;

    public Page<CaseListItem> list(Filter f, int page, int size) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("now", now);
        StringBuilder where = new StringBuilder(" where 1 = 1");
        if (f.stage() != null) {
            where.append(" and c.stage = :stage");
            p.addValue("stage", f.stage().name());
        } else if (f.openOnly()) {
            where.append(" and c.stage not in (:finals)");
            p.addValue("finals", Arrays.stream(Stage.values()).filter(Stage::isFinal).map(Stage::name).toList());
        }
        if (f.overdue()) {
            where.append(" and n.id is not null and (n.missed_at is not null or n.due_at < :now)");
        }
        if (f.q() != null && !f.q().isBlank()) {
            where.append(" and (lower(c.case_no) like :q escape '\\' or lower(c.customer_name) like :q escape '\\'"
                    + " or lower(c.application_no) like :q escape '\\')");
            p.addValue("q", "%" + likeEscape(f.q().strip().toLowerCase()) + "%");
        }
        Long total = named.queryForObject("select count(*) " + FROM + where, p, Long.class);
        p.addValue("offset", (long) page * size).addValue("size", size);
        List<Row> rows = named.query("""
                select c.id, c.case_no, c.application_no, c.customer_name, c.service_type, c.stage, c.submitted_at,
                       c.state_json, n.id as node_id, n.node, n.responsible, n.due_at, n.warning_at, n.missed_at
                """ + FROM + where + " " + """
                order by case when n.due_at is null then 1 else 0 end, n.due_at, c.id desc
                offset :offset rows fetch next :size rows only""", p, this::row);
        Map<Long, Set<String>> openUnits = openTaskUnits(rows.stream().map(Row::id).toList());
        List<CaseListItem> items = new ArrayList<>();
        for (Row r : rows) {
            CustomerWait wait = wait(r.stateJson());
            List<String> waitsOn = waitsOn(wait, openUnits.getOrDefault(r.id(), Set.of()), r.responsible());
            items.add(new CaseListItem(r.caseNo(), r.applicationNo(), r.customerName(), r.serviceType(), r.stage(), r.node(),
                    waitsOn, local(r.dueAt()), DueStatus.of(r.nodeId() != null, r.dueAt(), r.warningAt(), r.missedAt(), now),
                    local(r.submittedAt()), wait == null ? null : wait.reason()));
        }
        return new Page<>(items, page, size, total == null ? 0 : total);
    }

    private record Row(long id, String caseNo, String applicationNo, String customerName, String serviceType, Stage stage,
                       OffsetDateTime submittedAt, String stateJson, Long nodeId, Node node, List<String> responsible,
                       OffsetDateTime dueAt, OffsetDateTime warningAt, OffsetDateTime missedAt) {
    }

    private Row row(ResultSet rs, int i) throws SQLException {
        String node = rs.getString("node");
        return new Row(rs.getLong("id"), rs.getString("case_no"), rs.getString("application_no"), rs.getString("customer_name"),
                rs.getString("service_type"), Stage.valueOf(rs.getString("stage")), time(rs, "submitted_at"),
                rs.getString("state_json"), rs.getObject("node_id", Long.class), node == null ? null : Node.valueOf(node),
                split(rs.getString("responsible")), time(rs, "due_at"), time(rs, "warning_at"), time(rs, "missed_at"));
    }

    private Map<Long, Set<String>> openTaskUnits(List<Long> caseIds) {
        Map<Long, Set<String>> units = new LinkedHashMap<>();
        if (caseIds.isEmpty()) {
            return units;
        }
        named.query("select case_id, unit from case_task where status = 'OPEN' and case_id in (:ids) order by task_no",
                new MapSqlParameterSource("ids", caseIds),
                rs -> {
                    units.computeIfAbsent(rs.getLong("case_id"), k -> new LinkedHashSet<>()).add(rs.getString("unit"));
                });
        return units;
    }

    /** The customer when the case waits for them; else the units with open tasks; else those the clock runs against. */
    private static List<String> waitsOn(CustomerWait wait, Set<String> openTaskUnits, List<String> responsible) {
        if (wait != null) {
            return List.of(CUSTOMER);
        }
        if (!openTaskUnits.isEmpty()) {
            return List.copyOf(openTaskUnits);
        }
        return responsible;
    }

    private CustomerWait wait(String stateJson) {
        if (stateJson == null) {
            return null;
        }
        CaseState state = states.read(stateJson);
        return state == null ? null : state.customerWait();
    }

    // ------------------------------------------------------------------ my day (issue 21 item 2)

    /** An open task of a case: what it waits for and on whom, with the due date of its clock (none while paused). */
    public record OpenTask(String token, TaskKind kind, String titleZh, String titleEn, String unit, OffsetDateTime dueAt) {
    }

    /** An open case of a representative with its running clock, its customer wait and its open tasks. */
    public record OpenCase(String caseNo, String customerName, Stage stage, Node node, OffsetDateTime dueAt,
                           DueStatus dueStatus, List<String> waitsOn, String waitReason, OffsetDateTime waitSince,
                           List<OpenTask> tasks, String representativeId) {
    }

    private record OpenRow(long id, String caseNo, String customerName, Stage stage, String stateJson, String rep,
                           Long nodeId, Node node, List<String> responsible, OffsetDateTime dueAt, OffsetDateTime warningAt,
                           OffsetDateTime missedAt) {
    }

    /**
     * The open cases (not in a final stage) of these representatives, the most urgent due date first; a case with
     * no representative stored counts as {@code fallbackId}'s (the roster's first, cases/Roster#of). At most
     * {@code limit} cases.
     */
    public List<OpenCase> openCasesOf(java.util.Collection<String> representativeIds, String fallbackId, int limit) {
        if (representativeIds.isEmpty()) {
            return List.of();
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("ids", representativeIds)
                .addValue("fallback", fallbackId).addValue("limit", limit)
                .addValue("finals", Arrays.stream(Stage.values()).filter(Stage::isFinal).map(Stage::name).toList());
        List<OpenRow> rows = named.query("select c.id, c.case_no, c.customer_name, c.stage, c.state_json,"
                + " coalesce(c.representative_id, :fallback) as rep, n.id as node_id, n.node, n.responsible, n.due_at,"
                + " n.warning_at, n.missed_at " + FROM
                + " where c.stage not in (:finals) and coalesce(c.representative_id, :fallback) in (:ids)"
                + " order by case when n.due_at is null then 1 else 0 end, n.due_at, c.id"
                + " fetch first :limit rows only", p, (rs, i) -> {
            String node = rs.getString("node");
            return new OpenRow(rs.getLong("id"), rs.getString("case_no"), rs.getString("customer_name"),
                    Stage.valueOf(rs.getString("stage")), rs.getString("state_json"), rs.getString("rep"),
                    rs.getObject("node_id", Long.class), node == null ? null : Node.valueOf(node),
                    split(rs.getString("responsible")), time(rs, "due_at"), time(rs, "warning_at"), time(rs, "missed_at"));
        });
        Map<Long, List<OpenTask>> tasks = new LinkedHashMap<>();
        if (!rows.isEmpty()) {
            named.query("select t.case_id, t.task_no, t.kind, t.unit, n.due_at from case_task t"
                    + " left join case_node n on n.id = t.node_id"
                    + " where t.status = 'OPEN' and t.case_id in (:ids) order by t.case_id, t.task_no",
                    new MapSqlParameterSource("ids", rows.stream().map(OpenRow::id).toList()), rs -> {
                        TaskKind kind = TaskKind.valueOf(rs.getString("kind"));
                        tasks.computeIfAbsent(rs.getLong("case_id"), k -> new ArrayList<>()).add(new OpenTask(
                                "T" + rs.getInt("task_no"), kind, kind.titleZh(), kind.titleEn(), rs.getString("unit"),
                                local(time(rs, "due_at"))));
                    });
        }
        List<OpenCase> cases = new ArrayList<>();
        for (OpenRow r : rows) {
            CustomerWait wait = wait(r.stateJson());
            List<OpenTask> open = tasks.getOrDefault(r.id(), List.of());
            Set<String> units = new LinkedHashSet<>();
            open.forEach(t -> units.add(t.unit()));
            cases.add(new OpenCase(r.caseNo(), r.customerName(), r.stage(), r.node(), local(r.dueAt()),
                    DueStatus.of(r.nodeId() != null, r.dueAt(), r.warningAt(), r.missedAt(), now),
                    waitsOn(wait, units, r.responsible()), wait == null ? null : wait.reason(),
                    wait == null ? null : local(wait.since()), open, r.rep()));
        }
        return cases;
    }

    // ------------------------------------------------------------------ detail

    public Optional<CaseDetail> detail(String caseNo) {
        Optional<CaseRecord> found = cases.findByCaseNo(caseNo);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CaseRecord c = found.get();
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<NodeView> nodes = jdbc.query("""
                select id, node, responsible, started_at, due_at, warning_at, completed_at, cancelled_at, missed_at, overrun_days
                from case_node where case_id = ? order by id""", (rs, i) -> {
            Node node = Node.valueOf(rs.getString("node"));
            boolean running = time(rs, "completed_at") == null && time(rs, "cancelled_at") == null;
            return new NodeView(rs.getLong("id"), node, node.chinese(), split(rs.getString("responsible")),
                    local(time(rs, "started_at")), local(time(rs, "due_at")), local(time(rs, "warning_at")),
                    local(time(rs, "completed_at")), local(time(rs, "cancelled_at")), local(time(rs, "missed_at")),
                    rs.getInt("overrun_days"),
                    running ? DueStatus.of(true, time(rs, "due_at"), time(rs, "warning_at"), time(rs, "missed_at"), now)
                            : DueStatus.NONE);
        }, c.id());
        NodeView current = nodes.stream().filter(n -> n.completedAt() == null && n.cancelledAt() == null)
                .reduce((a, b) -> b).orElse(null);
        List<TaskView> tasks = jdbc.query("""
                select t.task_no, t.kind, t.unit, t.stage, t.status, t.opened_at, t.closed_at, t.result, n.due_at
                from case_task t left join case_node n on n.id = t.node_id where t.case_id = ? order by t.task_no""",
                (rs, i) -> {
                    TaskKind kind = TaskKind.valueOf(rs.getString("kind"));
                    int no = rs.getInt("task_no");
                    return new TaskView(no, "T" + no, kind, kind.titleZh(), kind.titleEn(), rs.getString("unit"),
                            Stage.valueOf(rs.getString("stage")), rs.getString("status"), local(time(rs, "opened_at")),
                            local(time(rs, "closed_at")), rs.getString("result"), local(time(rs, "due_at")));
                }, c.id());
        List<TimelineView> timeline = cases.timeline(c.id()).stream()
                .map(t -> new TimelineView(local(t.at()), local(t.recordedAt()), t.actor(), t.kind(), t.stage(), t.summary(),
                        t.details())).toList();
        CaseState state = c.stateJson() == null ? null : states.read(c.stateJson());
        CustomerWait wait = state == null ? null : state.customerWait();
        boolean contractSigned = state != null
                && state.formalities().isDone(cn.yekuo.hub.domain.workflow.Formality.CONTRACT_SIGNED);
        Set<String> openUnits = new LinkedHashSet<>();
        tasks.stream().filter(t -> "OPEN".equals(t.status())).forEach(t -> openUnits.add(t.unit()));
        List<String> waitsOn = waitsOn(wait, openUnits, current == null ? List.of() : current.responsible());
        return Optional.of(new CaseDetail(c, c.stage(), wait, current, waitsOn, nodes, tasks, timeline, contractSigned));
    }

    // ------------------------------------------------------------------ monthly report

    public record UnitRate(String unit, int due, int onTime, int late, int pending) {
        /** On time among the decided (on time + late); null when nothing was decided. */
        @com.fasterxml.jackson.annotation.JsonProperty("onTimeRate")
        public Double rate() {
            int decided = onTime + late;
            return decided == 0 ? null : (double) onTime / decided;
        }
    }

    /**
     * An entry: {@code cause} OVERRUN (a missed deadline) or NON_COOPERATION (clause 2, with the representative's reason
     * and evidence); {@code caseNo} null for a station's silence; {@code node} null for a non-cooperation without a timed
     * task; {@code waived}: a lead set it to 0 points.
     */
    public record AssessmentEntry(long id, String caseNo, String unit, Node node, OffsetDateTime dueAt, OffsetDateTime completedAt,
                                  int overrunDays, java.math.BigDecimal deduction, OffsetDateTime recordedAt, String cause,
                                  String reason, String evidence, boolean waived, String recordedBy) {
    }

    /** Per unit and per node (the node's key in {@code unit}), counted alike. */
    public record MonthReport(YearMonth month, ZoneId zone, List<UnitRate> units, List<UnitRate> nodes,
                              List<AssessmentEntry> entries, java.math.BigDecimal totalDeduction) {
    }

    /**
     * The month's clocks per responsible unit: every clock due in the month (business zone, not cancelled) counts for
     * each of its units: on time if completed by its due time, late if completed later or still open after it,
     * pending if still open before it. Assessment entries are those whose deadline fell in the month.
     */
    public MonthReport month(YearMonth month) {
        OffsetDateTime from = month.atDay(1).atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime now = OffsetDateTime.now(clock);
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Unit u : Unit.values()) {
            if (u != Unit.ASSESSMENT && u != Unit.CUSTOMER_REP) {
                counts.put(u.code(), new int[3]);
            }
        }
        Map<String, int[]> nodeCounts = new LinkedHashMap<>();
        for (Node n : List.of(Node.SCHEME_REPLY, Node.DESIGN_REVIEW, Node.MID_INSPECTION, Node.COMPLETION_ACCEPTANCE,
                Node.ENERGIZATION)) {
            nodeCounts.put(n.name(), new int[3]);
        }
        jdbc.query("""
                select node, responsible, due_at, completed_at from case_node
                where cancelled_at is null and due_at >= ? and due_at < ?""", rs -> {
            OffsetDateTime due = time(rs, "due_at");
            OffsetDateTime done = time(rs, "completed_at");
            int slot = done != null ? (done.isAfter(due) ? 1 : 0) : (due.isBefore(now) ? 1 : 2);
            for (String unit : split(rs.getString("responsible"))) {
                counts.computeIfAbsent(unit, k -> new int[3])[slot]++;
            }
            nodeCounts.computeIfAbsent(rs.getString("node"), k -> new int[3])[slot]++;
        }, from, to);
        List<UnitRate> units = new ArrayList<>();
        counts.forEach((unit, n) -> units.add(new UnitRate(unit, n[0] + n[1] + n[2], n[0], n[1], n[2])));
        List<UnitRate> nodes = new ArrayList<>();
        nodeCounts.forEach((node, n) -> nodes.add(new UnitRate(node, n[0] + n[1] + n[2], n[0], n[1], n[2])));
        List<AssessmentEntry> entries = jdbc.query("""
                select a.id, c.case_no, a.unit, a.node, a.due_at, a.completed_at, a.overrun_days, a.deduction, a.recorded_at,
                       a.cause, a.reason, a.evidence, a.waived, a.recorded_by
                from assessment_entry a left join yk_case c on c.id = a.case_id
                where a.due_at >= ? and a.due_at < ? order by a.due_at, c.case_no, a.unit, a.id""",
                (rs, i) -> new AssessmentEntry(rs.getLong("id"), rs.getString("case_no"), rs.getString("unit"),
                        rs.getString("node") == null ? null : Node.valueOf(rs.getString("node")),
                        local(time(rs, "due_at")), local(time(rs, "completed_at")), rs.getInt("overrun_days"),
                        rs.getBigDecimal("deduction"), local(time(rs, "recorded_at")), rs.getString("cause"),
                        rs.getString("reason"), rs.getString("evidence"), rs.getBoolean("waived"), rs.getString("recorded_by")),
                from, to);
        java.math.BigDecimal total = entries.stream().map(AssessmentEntry::deduction)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
        return new MonthReport(month, zone, units, nodes, entries, total);
    }

    /** Open cases per stage and overdue clocks per responsible unit, for the business gauges. */
    public Map<Stage, Integer> openPerStage() {
        Map<Stage, Integer> counts = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            if (!s.isFinal()) {
                counts.put(s, 0);
            }
        }
        jdbc.query("select stage, count(*) as n from yk_case group by stage", rs -> {
            Stage s = Stage.valueOf(rs.getString("stage"));
            if (!s.isFinal()) {
                counts.put(s, rs.getInt("n"));
            }
        });
        return counts;
    }

    public Map<String, Integer> overduePerUnit() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.query("""
                select responsible from case_node where completed_at is null and cancelled_at is null
                  and (missed_at is not null or due_at < ?)""", rs -> {
            for (String unit : split(rs.getString("responsible"))) {
                counts.merge(unit, 1, Integer::sum);
            }
        }, OffsetDateTime.now(clock));
        return counts;
    }

    // ------------------------------------------------------------------ helpers

    public ZoneId zone() {
        return zone;
    }

    private OffsetDateTime local(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(zone).toOffsetDateTime();
    }

    private static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class);
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of() : List.of(csv.split(","));
    }

    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
