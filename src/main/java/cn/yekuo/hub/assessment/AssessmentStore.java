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

    /** An assessment entry: the unit charged and its deduction points. */
    public record Charge(String unit, BigDecimal deduction) {
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

    public List<Charge> chargesDueBetween(OffsetDateTime from, OffsetDateTime to) {
        return jdbc.query("select unit, deduction from assessment_entry where due_at >= ? and due_at < ?",
                (rs, i) -> new Charge(rs.getString("unit"), rs.getBigDecimal("deduction")), from, to);
    }

    public List<EnergizedCase> casesEnergizedBetween(OffsetDateTime from, OffsetDateTime to) {
        return jdbc.query("""
                select n.case_id, (select count(*) from case_node o where o.case_id = n.case_id and o.cancelled_at is null
                                      and o.overrun_days > 0) as late
                from case_node n where n.node = 'ENERGIZATION' and n.cancelled_at is null and n.completed_at >= ? and n.completed_at < ?""",
                (rs, i) -> new EnergizedCase(rs.getLong("case_id"), rs.getInt("late")), from, to);
    }
}
