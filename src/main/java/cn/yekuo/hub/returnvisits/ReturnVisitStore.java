package cn.yekuo.hub.returnvisits;

import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.reports.MonthlyRuns;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The return-visit plans ({@code return_visit_plan}), their cases and the stations' answers ({@code return_visit_case}),
 * and the charge of a silent station ({@code assessment_entry}). Every method runs in its caller's transaction.
 */
@Repository
public class ReturnVisitStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public ReturnVisitStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A case of the station's area energized in the window, as it goes into a new plan. */
    public record EnergizedCase(long caseId, String caseNo, String customerName, String contactName, String phone,
                                OffsetDateTime energizedAt) {
    }

    /** A case of a stored plan, with the site address of its case (nullable columns stay null). */
    public record PlannedCase(String caseNo, String customerName, String contactName, String phone, OffsetDateTime energizedAt,
                              String siteAddress) {
    }

    /** A stored plan's token and report due time. */
    public record PlanHead(String token, OffsetDateTime reportDueAt) {
    }

    /** A plan with cases that is neither reported nor charged and past its due time. */
    public record OverduePlan(long id, String reportMonth, String station, OffsetDateTime reportDueAt, OffsetDateTime sentAt) {
    }

    /** A plan of the month as the summary shows it. */
    public record MonthPlan(long id, String station, int caseCount, boolean reported, boolean charged, OffsetDateTime sentAt) {
    }

    /** A case of a plan with the station's answer, if any ({@code satisfaction} null when not visited). */
    /** {@code representative}: the case's representative id, null for a case opened before the roster. */
    public record VisitedCase(String caseNo, String customerName, String contactName, String phone, String satisfaction,
                              String note, String representative) {
    }

    /** A case of a plan as a reply finds it: visited once a satisfaction was recorded. */
    public record PlanCaseRef(long id, long caseId, boolean visited) {
    }

    // ------------------------------------------------------------------ plans

    public Optional<Long> findPlanId(YearMonth month, String station) {
        return jdbc.queryForList("select id from return_visit_plan where report_month = ? and station = ?", Long.class,
                month.toString(), station).stream().findFirst();
    }

    /** Stores a new plan and returns its id. */
    public long insertPlan(YearMonth month, String station, String token, int caseCount, OffsetDateTime sentAt, OffsetDateTime reportDueAt) {
        jdbc.update("""
                insert into return_visit_plan (report_month, station, token, case_count, sent_at, report_due_at)
                values (?, ?, ?, ?, ?, ?)""", month.toString(), station, token, caseCount, sentAt, reportDueAt);
        return jdbc.queryForObject("select id from return_visit_plan where report_month = ? and station = ?", Long.class,
                month.toString(), station);
    }

    public void insertPlanCase(long planId, EnergizedCase c) {
        jdbc.update("""
                insert into return_visit_case (plan_id, case_id, case_no, customer_name, contact_name, phone, energized_at)
                values (?, ?, ?, ?, ?, ?, ?)""", planId, c.caseId(), c.caseNo(), c.customerName(),
                c.contactName(), c.phone(), c.energizedAt());
    }

    public PlanHead planHead(long planId) {
        return jdbc.queryForObject("select token, report_due_at from return_visit_plan where id = ?",
                (rs, i) -> new PlanHead(rs.getString(1), rs.getObject(2, OffsetDateTime.class)), planId);
    }

    public List<PlannedCase> plannedCases(long planId) {
        return jdbc.query("""
                select v.case_no, v.customer_name, v.contact_name, v.phone, v.energized_at, c.site_address
                from return_visit_case v join yk_case c on c.id = v.case_id where v.plan_id = ? order by v.energized_at, v.case_no""",
                (rs, i) -> new PlannedCase(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class), rs.getString(6)), planId);
    }

    /**
     * Cases of the station's area energized in [from, to), whether closed since or not. The energizing time is in the
     * case's state JSON, so the rows are filtered while they stream rather than in SQL (portable across H2 and PostgreSQL).
     */
    public List<EnergizedCase> energizedBetween(String station, OffsetDateTime from, OffsetDateTime to) {
        List<EnergizedCase> found = new ArrayList<>();
        jdbc.query("""
                select id, case_no, customer_name, contact_name, phone, state_json from yk_case
                where supply_station = ? and stage in ('ENERGIZED', 'CLOSED') order by case_no""", rs -> {
            OffsetDateTime energized = energizedAt(rs.getString("state_json"));
            if (energized != null && !energized.isBefore(from) && energized.isBefore(to)) {
                found.add(new EnergizedCase(rs.getLong("id"), rs.getString("case_no"), rs.getString("customer_name"),
                        rs.getString("contact_name"), rs.getString("phone"), energized));
            }
        }, station);
        return found;
    }

    private OffsetDateTime energizedAt(String stateJson) {
        if (stateJson == null) {
            return null;
        }
        try {
            JsonNode at = json.readTree(stateJson).path("energizedAt");
            return at.isTextual() ? OffsetDateTime.parse(at.asText()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ silence and the month's summary

    public List<OverduePlan> overduePlans(OffsetDateTime now) {
        return jdbc.query("""
                select id, report_month, station, report_due_at, sent_at from return_visit_plan
                where reported_at is null and charged_at is null and case_count > 0 and report_due_at < ?""",
                (rs, i) -> new OverduePlan(rs.getLong("id"), rs.getString("report_month"), rs.getString("station"),
                        rs.getObject("report_due_at", OffsetDateTime.class), rs.getObject("sent_at", OffsetDateTime.class)), now);
    }

    /** Charges the station's silence on the plan: the assessment entry and the plan's {@code charged_at}. */
    public void charge(long planId, String unit, Node node, OffsetDateTime due, int overrunDays, BigDecimal deduction,
                       OffsetDateTime now) {
        jdbc.update("""
                insert into assessment_entry (case_id, node_id, plan_id, unit, node, due_at, completed_at, overrun_days, deduction, recorded_at)
                values (null, null, ?, ?, ?, ?, null, ?, ?, ?)""",
                planId, unit, node.name(), due, overrunDays, deduction, now);
        jdbc.update("update return_visit_plan set charged_at = ? where id = ?", now, planId);
    }

    /** Months with plans whose summary was never produced, oldest first. */
    public List<YearMonth> monthsWithoutSummary() {
        return jdbc.queryForList("""
                select distinct p.report_month from return_visit_plan p
                where not exists (select 1 from monthly_run r where r.job = ? and r.report_month = p.report_month)
                order by p.report_month""", String.class, MonthlyRuns.SUMMARY).stream().map(YearMonth::parse).toList();
    }

    /** Plans of the month whose report time has not passed at {@code now}. */
    public int openPlans(YearMonth month, OffsetDateTime now) {
        Integer open = jdbc.queryForObject("""
                select count(*) from return_visit_plan where report_month = ? and report_due_at >= ?""", Integer.class,
                month.toString(), now);
        return open == null ? 0 : open;
    }

    public List<MonthPlan> plansOf(YearMonth month) {
        return jdbc.query("select id, station, case_count, reported_at, charged_at, sent_at from return_visit_plan where report_month = ? order by station",
                (rs, i) -> new MonthPlan(rs.getLong("id"), rs.getString("station"), rs.getInt("case_count"),
                        rs.getObject("reported_at") != null, rs.getObject("charged_at") != null,
                        rs.getObject("sent_at", OffsetDateTime.class)), month.toString());
    }

    public List<VisitedCase> visitedCases(long planId) {
        return jdbc.query("""
                select v.case_no, v.customer_name, v.contact_name, v.phone, v.satisfaction, v.note, c.representative_id
                from return_visit_case v left join yk_case c on c.case_no = v.case_no
                where v.plan_id = ? order by v.case_no""",
                (rs, i) -> new VisitedCase(rs.getString("case_no"), rs.getString("customer_name"), rs.getString("contact_name"),
                        rs.getString("phone"), rs.getString("satisfaction"), rs.getString("note"), rs.getString("representative_id")),
                planId);
    }

    // ------------------------------------------------------------------ a station's reply

    public Optional<PlanCaseRef> findPlanCase(long planId, String caseNo) {
        return jdbc.query("select id, case_id, satisfaction from return_visit_case where plan_id = ? and case_no = ?",
                (rs, i) -> new PlanCaseRef(rs.getLong("id"), rs.getLong("case_id"), rs.getString("satisfaction") != null),
                planId, caseNo).stream().findFirst();
    }

    public void recordVisit(long planCaseId, String satisfaction, String note, OffsetDateTime visitedAt, String mailKey) {
        jdbc.update("update return_visit_case set satisfaction = ?, note = ?, visited_at = ?, mail_key = ? where id = ?",
                satisfaction, note, visitedAt, mailKey, planCaseId);
    }

    /** Marks the plan reported by its first usable reply (later replies keep the first time). */
    public void markReported(long planId, OffsetDateTime now) {
        jdbc.update("update return_visit_plan set reported_at = ? where id = ? and reported_at is null", now, planId);
    }
}
