package cn.yekuo.hub.assessment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.TimeLimitRules;

/**
 * A representative's part of the assessment (经济责任制考核, issue 17 point 5): clause 2 ("a unit that does not cooperate as
 * asked is charged") as an entry recorded with its reason and evidence, and a lead representative's waiver or correction
 * of any entry, with the reason and the login, kept in {@code assessment_entry_change}; nothing is deleted. Overrun
 * entries are written by the deadline watcher ({@code process.TimedNodes}).
 */
@Repository
public class AssessmentEntries {

    private static final Logger log = LoggerFactory.getLogger(AssessmentEntries.class);
    private static final BigDecimal MAX_POINTS = new BigDecimal("99999999");

    private final JdbcTemplate jdbc;
    private final CaseStore cases;
    private final TimeLimitRules rules;
    // not a route's transacted: an HTTP action, entry and timeline in one transaction
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ZoneId zone;

    public AssessmentEntries(JdbcTemplate jdbc, CaseStore cases, TimeLimitRules rules, TransactionTemplate tx, Clock clock,
                             HubProperties hub) {
        this.jdbc = jdbc;
        this.cases = cases;
        this.rules = rules;
        this.tx = tx;
        this.clock = clock;
        this.zone = hub.businessZone();
    }

    /** Why an action on an entry was not carried out: {@code NOT_FOUND} (404), {@code VALIDATION} (400, with the field), else 409. */
    public static final class Refused extends RuntimeException {
        private final String code;
        private final String field;

        Refused(String code, String field, String message) {
            super(message, null, false, false);
            this.code = code;
            this.field = field;
        }

        public String code() {
            return code;
        }

        public String field() {
            return field;
        }
    }

    /** One change of an entry (WAIVE or CORRECT). */
    public record Change(String action, String unitBefore, String unitAfter, BigDecimal deductionBefore,
                         BigDecimal deductionAfter, String reason, String user, OffsetDateTime at) {
    }

    /** An entry of a case as the API and the case page show it; {@code changes} oldest first. */
    public record Entry(long id, String cause, String unit, String node, OffsetDateTime dueAt, OffsetDateTime completedAt,
                        int overrunDays, BigDecimal deduction, boolean waived, String reason, String evidence,
                        Long evidenceMailId, Long evidenceDocumentId, String recordedBy, OffsetDateTime recordedAt,
                        List<Change> changes) {
    }

    /** The units a representative may charge for not cooperating: the internal units that receive hand-offs. */
    public static final List<Unit> CHARGEABLE = List.of(Unit.PRODUCTION, Unit.MARKETING, Unit.CONSTRUCTION, Unit.CUSTOMER_CENTER);

    /**
     * Clause 2: {@code unit} did not cooperate as asked on the case. The node is that of the unit's open task (none when
     * it has no timed task open); the deduction is the {@code nonCooperationDeduction} of the case's rule set; the
     * evidence is text and optionally a unit's mail or a document of the case. Returns the entry's id.
     */
    public long nonCooperation(String caseNo, String unit, String reason, String evidence, Long mailId, Long documentId,
                               String user) {
        Unit charged = CHARGEABLE.stream().filter(u -> u.code().equals(unit)).findFirst().orElseThrow(() ->
                new Refused("VALIDATION", "unit", "must be one of " + CHARGEABLE.stream().map(Unit::code).toList()));
        return tx.execute(status -> {
            CaseRecord c = cases.findByCaseNo(caseNo).orElseThrow(() -> notFound("case " + caseNo + " is not known to the hub"));
            if (mailId != null && count("select count(*) from unit_mail where id = ? and case_id = ?", mailId, c.id()) == 0) {
                throw notFound("mail " + mailId + " is not a mail of case " + caseNo);
            }
            if (documentId != null && count("select count(*) from case_document where id = ? and case_id = ?", documentId, c.id()) == 0) {
                throw notFound("document " + documentId + " is not a document of case " + caseNo);
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            String node = jdbc.query("""
                    select n.node from case_task t join case_node n on n.id = t.node_id
                    where t.case_id = ? and t.unit = ? and t.status = 'OPEN' order by t.task_no desc""",
                    (rs, i) -> rs.getString(1), c.id(), charged.code()).stream().findFirst().orElse(null);
            BigDecimal points = rules.nonCooperationDeduction((c.acceptedAt() == null ? now : c.acceptedAt())
                    .atZoneSameInstant(zone).toLocalDate());
            jdbc.update("""
                    insert into assessment_entry (case_id, node_id, unit, node, due_at, completed_at, overrun_days, deduction,
                        recorded_at, cause, reason, evidence, evidence_mail_id, evidence_document_id, recorded_by)
                    values (?, null, ?, ?, ?, null, 0, ?, ?, 'NON_COOPERATION', ?, ?, ?, ?, ?)""",
                    c.id(), charged.code(), node, now, points, now, reason, evidence, mailId, documentId, user);
            long id = jdbc.queryForObject("select max(id) from assessment_entry where case_id = ? and cause = 'NON_COOPERATION'",
                    Long.class, c.id());
            cases.appendTimeline(c.id(), now, user, "NON_COOPERATION", c.stage(),
                    "考核：" + charged.chinese() + "未按要求配合，扣 " + plain(points) + " 分 / Charged: " + charged.code()
                            + " did not cooperate as asked (" + plain(points) + " points)", reason);
            log.info("Case {}: {} charged by {} for not cooperating (entry {}, {} points)", caseNo, charged.code(), user, id, points);
            return id;
        });
    }

    /** A lead's waiver: the entry counts 0 points from now on, kept with its history. */
    public void waive(String caseNo, long entryId, String reason, String user) {
        tx.executeWithoutResult(status -> {
            Current e = entry(caseNo, entryId);
            if (e.waived()) {
                throw new Refused("ALREADY_DONE", null, "entry " + entryId + " is already waived");
            }
            change(e, "WAIVE", e.unit(), BigDecimal.ZERO.setScale(2), reason, user, true);
        });
    }

    /** A lead's correction: another deduction, another unit, or both; a waived entry stays waived. */
    public void correct(String caseNo, long entryId, BigDecimal deduction, String unit, String reason, String user) {
        if (deduction == null && unit == null) {
            throw new Refused("VALIDATION", "deduction", "give a new deduction, a new unit or both");
        }
        BigDecimal points = deduction == null ? null : points(deduction);
        if (unit != null && CHARGEABLE.stream().noneMatch(u -> u.code().equals(unit)) && !unit.startsWith("station-")) {
            throw new Refused("VALIDATION", "unit", "must be one of " + CHARGEABLE.stream().map(Unit::code).toList()
                    + " or station-<code>");
        }
        tx.executeWithoutResult(status -> {
            Current e = entry(caseNo, entryId);
            if (e.waived()) {
                throw new Refused("CONFLICT", null, "entry " + entryId + " is waived: a waived entry is not corrected");
            }
            String newUnit = unit == null ? e.unit() : unit;
            BigDecimal newPoints = points == null ? e.deduction() : points;
            if (newUnit.equals(e.unit()) && newPoints.compareTo(e.deduction()) == 0) {
                throw new Refused("ALREADY_DONE", null, "entry " + entryId + " already charges " + newUnit + " " + plain(newPoints));
            }
            try {
                change(e, "CORRECT", newUnit, newPoints, reason, user, false);
            } catch (DuplicateKeyException dup) {
                throw new Refused("CONFLICT", "unit", newUnit + " is already charged for this deadline");
            }
        });
    }

    /** The case's entries, oldest first, each with its changes. */
    public List<Entry> ofCase(String caseNo) {
        CaseRecord c = cases.findByCaseNo(caseNo).orElseThrow(() -> notFound("case " + caseNo + " is not known to the hub"));
        return jdbc.query("""
                select id, cause, unit, node, due_at, completed_at, overrun_days, deduction, waived, reason, evidence,
                       evidence_mail_id, evidence_document_id, recorded_by, recorded_at
                from assessment_entry where case_id = ? order by recorded_at, id""",
                (rs, i) -> new Entry(rs.getLong("id"), rs.getString("cause"), rs.getString("unit"), rs.getString("node"),
                        rs.getObject("due_at", OffsetDateTime.class), rs.getObject("completed_at", OffsetDateTime.class),
                        rs.getInt("overrun_days"), rs.getBigDecimal("deduction"), rs.getBoolean("waived"), rs.getString("reason"),
                        rs.getString("evidence"), rs.getObject("evidence_mail_id", Long.class),
                        rs.getObject("evidence_document_id", Long.class), rs.getString("recorded_by"),
                        rs.getObject("recorded_at", OffsetDateTime.class), changes(rs.getLong("id"))), c.id());
    }

    private List<Change> changes(long entryId) {
        return jdbc.query("""
                select action, unit_before, unit_after, deduction_before, deduction_after, reason, user_name, changed_at
                from assessment_entry_change where entry_id = ? order by id""",
                (rs, i) -> new Change(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4), rs.getBigDecimal(5),
                        rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class)), entryId);
    }

    private record Current(long id, CaseRecord c, String unit, String node, BigDecimal deduction, boolean waived) {
    }

    /** The entry, locked; 404 when it is not one of the case's. */
    private Current entry(String caseNo, long entryId) {
        CaseRecord c = cases.findByCaseNo(caseNo).orElseThrow(() -> notFound("case " + caseNo + " is not known to the hub"));
        Optional<Current> found = jdbc.query("""
                select id, case_id, unit, node, deduction, waived from assessment_entry where id = ? and case_id = ? for update""",
                (rs, i) -> new Current(rs.getLong(1), c, rs.getString(3), rs.getString(4), rs.getBigDecimal(5),
                        rs.getBoolean(6)), entryId, c.id()).stream().findFirst();
        return found.orElseThrow(() -> notFound("entry " + entryId + " is not an assessment entry of case " + caseNo));
    }

    private void change(Current e, String action, String unit, BigDecimal deduction, String reason, String user, boolean waive) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.update("update assessment_entry set unit = ?, deduction = ?, waived = ? where id = ?", unit, deduction, waive, e.id());
        jdbc.update("""
                insert into assessment_entry_change (entry_id, action, unit_before, unit_after, deduction_before, deduction_after,
                    reason, user_name, changed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                e.id(), action, e.unit(), unit, e.deduction(), deduction, reason, user, now);
        String what = waive ? "考核免除 / Charge waived" : "考核更正 / Charge corrected";
        cases.appendTimeline(e.c().id(), now, user, waive ? "CHARGE_WAIVED" : "CHARGE_CORRECTED",
                e.c().stage(), what + "：#" + e.id() + " " + e.unit() + " " + plain(e.deduction()) + " → " + unit + " "
                        + plain(deduction), reason);
        log.info("Assessment entry {} {} by {}: {} {} -> {} {}", e.id(), action, user, e.unit(), e.deduction(), unit, deduction);
    }

    /** Points as the table holds them: zero or more, at most two decimals. */
    static BigDecimal points(BigDecimal d) {
        if (d.signum() < 0 || d.compareTo(MAX_POINTS) > 0 || d.stripTrailingZeros().scale() > 2) {
            throw new Refused("VALIDATION", "deduction", "must be between 0 and 99999999 with at most two decimals");
        }
        return d.setScale(2, RoundingMode.UNNECESSARY);
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    private static Refused notFound(String message) {
        return new Refused("NOT_FOUND", null, message);
    }
}
