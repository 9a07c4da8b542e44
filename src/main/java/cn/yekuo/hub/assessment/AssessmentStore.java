package cn.yekuo.hub.assessment;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.domain.time.Node;

/**
 * What the monthly assessment reads: the timed nodes completed in a window ({@code case_node}), the assessment entries
 * due in it ({@code assessment_entry}) and the cases energized in it. Read only; runs in its caller's transaction.
 */
@Repository
public class AssessmentStore {

    private final JdbcTemplate jdbc;

    public AssessmentStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A timed node completed in the window; {@code responsible} is the comma-separated unit codes. */
    /** {@code representative}: the case's representative id, null for a case opened before the roster. */
    public record CompletedNode(String caseNo, Node node, String responsible, OffsetDateTime dueAt, OffsetDateTime completedAt,
                                int overrunDays, String representative) {
    }

    /**
     * An assessment entry: the unit charged, its deduction points and why — {@code cause} OVERRUN (the clock's overrun
     * days) or NON_COOPERATION ({@code reason}); {@code changeReason} the last waiver's or correction's reason.
     */
    public record Charge(String unit, BigDecimal deduction, String cause, boolean waived, String reason, Node node,
                         OffsetDateTime dueAt, OffsetDateTime completedAt, int overrunDays, String caseNo, String changeReason) {

        public boolean overrun() {
            return !"NON_COOPERATION".equals(cause);
        }
    }

    /** A case energized in the window and how many of its nodes ran over. */
    public record EnergizedCase(long caseId, int lateNodes) {
    }

    public List<CompletedNode> nodesCompletedBetween(OffsetDateTime from, OffsetDateTime to) {
        return jdbc.query("""
                select c.case_no, n.node, n.responsible, n.due_at, n.completed_at, n.overrun_days, c.representative_id
                from case_node n join yk_case c on c.id = n.case_id
                where n.cancelled_at is null and n.completed_at >= ? and n.completed_at < ?
                order by n.completed_at, c.case_no, n.id""",
                (rs, i) -> new CompletedNode(rs.getString("case_no"), Node.valueOf(rs.getString("node")), rs.getString("responsible"),
                        rs.getObject("due_at", OffsetDateTime.class), rs.getObject("completed_at", OffsetDateTime.class),
                        rs.getInt("overrun_days"), rs.getString("representative_id")), from, to);
    }

    /** A clock still running past its due time: due in the window, due before {@code now}, neither completed nor cancelled. */
    public record OverdueNode(Node node, String responsible, OffsetDateTime dueAt, String representative) {
    }

    public List<OverdueNode> runningOverdueDueBetween(OffsetDateTime from, OffsetDateTime to, OffsetDateTime now) {
        return jdbc.query("""
                select n.node, n.responsible, n.due_at, c.representative_id from case_node n join yk_case c on c.id = n.case_id
                where n.completed_at is null and n.cancelled_at is null and n.due_at >= ? and n.due_at < ? and n.due_at < ?""",
                (rs, i) -> new OverdueNode(Node.valueOf(rs.getString("node")), rs.getString("responsible"),
                        rs.getObject("due_at", OffsetDateTime.class), rs.getString("representative_id")), from, to, now);
    }

    /**
     * Every entry that counts in the window (its {@code due_at}: the deadline of an overrun, the recording of a
     * non-cooperation), waived ones included; {@code caseNo} null for a station's silence.
     */
    public List<Charge> chargesDueBetween(OffsetDateTime from, OffsetDateTime to) {
        return jdbc.query("""
                select a.unit, a.deduction, a.cause, a.waived, a.reason, a.node, a.due_at, a.completed_at, a.overrun_days, c.case_no,
                       (select x.reason from assessment_entry_change x where x.entry_id = a.id order by x.id desc
                        fetch first 1 rows only) as change_reason
                from assessment_entry a left join yk_case c on c.id = a.case_id
                where a.due_at >= ? and a.due_at < ? order by a.due_at, c.case_no, a.unit, a.id""",
                (rs, i) -> new Charge(rs.getString("unit"), rs.getBigDecimal("deduction"), rs.getString("cause"),
                        rs.getBoolean("waived"), rs.getString("reason"), rs.getString("node") == null ? null : Node.valueOf(rs.getString("node")),
                        rs.getObject("due_at", OffsetDateTime.class), rs.getObject("completed_at", OffsetDateTime.class),
                        rs.getInt("overrun_days"), rs.getString("case_no"), rs.getString("change_reason")), from, to);
    }

    public List<EnergizedCase> casesEnergizedBetween(OffsetDateTime from, OffsetDateTime to) {
        return jdbc.query("""
                select n.case_id, (select count(*) from case_node o where o.case_id = n.case_id and o.cancelled_at is null
                                      and o.overrun_days > 0) as late
                from case_node n where n.node = 'ENERGIZATION' and n.cancelled_at is null and n.completed_at >= ? and n.completed_at < ?""",
                (rs, i) -> new EnergizedCase(rs.getLong("case_id"), rs.getInt("late")), from, to);
    }
}
