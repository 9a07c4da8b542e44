package cn.yekuo.hub.process;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.DayKind;
import cn.yekuo.hub.domain.time.Deadline;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.time.Pause;
import cn.yekuo.hub.domain.time.SlaClock;
import cn.yekuo.hub.domain.time.Sources;
import cn.yekuo.hub.domain.time.TimeLimitRule;
import cn.yekuo.hub.domain.time.TimeLimitRules;
import cn.yekuo.hub.domain.time.WarningThreshold;
import cn.yekuo.hub.metrics.BusinessCounters;

/**
 * The utility's clocks (SLA) in the store: one row per run of a node, with its rule, pauses for the customer,
 * due and warning times, and when the deadline watcher must next look at it.
 */
@Repository
public class TimedNodes {

    private static final Logger log = LoggerFactory.getLogger(TimedNodes.class);
    private static final TypeReference<List<Pause>> PAUSES = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final TimeLimitRules rules;
    private final SlaClock clock;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // derived properties such as "open" are written but not read back
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final BusinessCounters counters;

    public TimedNodes(JdbcTemplate jdbc, TimeLimitRules rules, SlaClock clock, BusinessCounters counters) {
        this.counters = counters;
        this.jdbc = jdbc;
        this.rules = rules;
        this.clock = clock;
    }

    /** A clock that runs (or is paused), as the store holds it. */
    public record Running(long id, long caseId, Node node, List<String> responsible, TimeLimitRule rule,
                          OffsetDateTime startedAt, List<Pause> pauses, OffsetDateTime dueAt, OffsetDateTime warningAt,
                          OffsetDateTime warnedAt, OffsetDateTime missedAt) {

        public Deadline deadline(SlaClock clock) {
            return clock.deadline(rule, startedAt, pauses);
        }
    }

    /**
     * Starts a node's clock under the rule in force on the acceptance date; a clock started while the customer
     * is being waited for starts paused. Empty when no rule applies (the node has no limit).
     */
    public Optional<Long> start(long caseId, Node node, List<Unit> units, OffsetDateTime at, int powerSources,
                                LocalDate acceptedOn, OffsetDateTime customerWaitSince) {
        Optional<TimeLimitRule> rule = rules.ruleFor(node, powerSources, acceptedOn);
        if (rule.isEmpty()) {
            log.info("No time limit for {} of a case accepted on {}: the node is not timed", node, acceptedOn);
            return Optional.empty();
        }
        List<Pause> pauses = customerWaitSince == null ? List.of() : List.of(Pause.open(at));
        Deadline deadline = clock.deadline(rule.get(), at, pauses);
        List<String> responsible = units.stream().map(Unit::code).toList();
        Object[] values = {caseId, node.name(), String.join(",", responsible), rule.get().ruleSet(), rule.get().limit(),
                rule.get().days().name(), rule.get().warning().remainingPercent(), rule.get().warning().atLeastWorkingDays(),
                at, write(pauses), deadline.dueAt(), deadline.warningAt(), nextCheck(deadline, null, null),
                rule.get().deduction()};
        // the new row's id from the insert itself, not from a second query
        org.springframework.jdbc.support.KeyHolder key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.update(connection -> {
            java.sql.PreparedStatement ps = connection.prepareStatement("""
                    insert into case_node (case_id, node, responsible, rule_set, limit_days, day_kind, warning_percent,
                        warning_min_days, started_at, pauses, due_at, warning_at, next_check_at, deduction)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"});
            new org.springframework.jdbc.core.ArgumentPreparedStatementSetter(values).setValues(ps);
            return ps;
        }, key);
        return Optional.of(key.getKey().longValue());
    }

    /**
     * The node's clock stops for good: overrun is final, entries already charged get their completion. An answer that
     * came in time but was read after the due date (a mail outage, a stopped hub) withdraws the charges the watcher
     * made meanwhile; returns the units whose charge was withdrawn.
     */
    public List<String> complete(long caseId, Node node, OffsetDateTime at) {
        Optional<Running> found = running(caseId, node);
        if (found.isEmpty()) {
            return List.of();
        }
        Running n = found.get();
        Deadline deadline = n.deadline(clock);
        int overrun = deadline.overrunDays(at);
        jdbc.update("update case_node set completed_at = ?, next_check_at = null, overrun_days = ? where id = ?",
                at, overrun, n.id());
        n.responsible().forEach(unit -> counters.nodeCompleted(unit, node.name(), overrun == 0));
        if (deadline.isOverdue(at)) {
            jdbc.update("update assessment_entry set completed_at = ?, overrun_days = ? where node_id = ?", at, overrun, n.id());
            return List.of();
        }
        List<String> withdrawn = jdbc.queryForList("select unit from assessment_entry where node_id = ? order by unit",
                String.class, n.id());
        if (withdrawn.isEmpty()) {
            return withdrawn; // nothing was charged: nothing to withdraw or waive
        }
        // a charge made in error goes; one a lead already waived or corrected keeps its history and is waived
        jdbc.update("""
                delete from assessment_entry where node_id = ?
                  and not exists (select 1 from assessment_entry_change x where x.entry_id = assessment_entry.id)""", n.id());
        jdbc.update("""
                insert into assessment_entry_change (entry_id, action, unit_before, unit_after, deduction_before, deduction_after,
                    reason, user_name, changed_at)
                select id, 'WAIVE', unit, unit, deduction, 0, 'answered in time, read after the due date', 'SYSTEM', ?
                from assessment_entry where node_id = ? and not waived""", at, n.id());
        jdbc.update("update assessment_entry set deduction = 0, waived = true where node_id = ?", n.id());
        return withdrawn;
    }

    public void cancel(long caseId, Node node, OffsetDateTime at) {
        running(caseId, node).ifPresent(n ->
                jdbc.update("update case_node set cancelled_at = ?, next_check_at = null where id = ?", at, n.id()));
    }

    /** The customer is being waited for: the running clock stops (its due date is unknown until resumed). */
    public void pause(long caseId, OffsetDateTime at) {
        current(caseId).ifPresent(n -> {
            if (n.pauses().stream().anyMatch(Pause::isOpen)) {
                return;
            }
            List<Pause> pauses = new ArrayList<>(n.pauses());
            pauses.add(Pause.open(at));
            store(n, pauses);
        });
    }

    /** The customer's part is done: the clock runs again, extended by the days the pause covered. */
    public void resume(long caseId, OffsetDateTime at) {
        current(caseId).ifPresent(n -> {
            List<Pause> pauses = new ArrayList<>();
            for (Pause p : n.pauses()) {
                pauses.add(p.isOpen() ? Pause.between(p.start(), at.isBefore(p.start()) ? p.start() : at) : p);
            }
            store(n, pauses);
        });
    }

    private void store(Running n, List<Pause> pauses) {
        Deadline d = clock.deadline(n.rule(), n.startedAt(), pauses);
        jdbc.update("update case_node set pauses = ?, due_at = ?, warning_at = ?, next_check_at = ? where id = ?",
                write(pauses), d.dueAt(), d.warningAt(), nextCheck(d, n.warnedAt(), n.missedAt()), n.id());
    }

    /**
     * When the watcher must look again: at the warning, then when the deadline is missed (the start of the day
     * after the due day), then never. A warning not given before the deadline passed is not looked for again.
     */
    public static OffsetDateTime nextCheck(Deadline d, OffsetDateTime warnedAt, OffsetDateTime missedAt) {
        if (d.isStopped() || missedAt != null) {
            return null;
        }
        return warnedAt == null ? d.warningAt() : d.missedFrom();
    }

    /** A clock due for a check, with the position the deadline watcher pages on. */
    public record Due(long id, OffsetDateTime nextCheckAt) {
    }

    /**
     * The clocks due by {@code now} after the keyset position (nextCheckAt, id), in that order, at most {@code limit}
     * of them (one indexed query).
     */
    public List<Due> due(OffsetDateTime now, OffsetDateTime afterTime, long afterId, int limit) {
        return jdbc.query("""
                select id, next_check_at from case_node
                where next_check_at <= ? and (next_check_at > ? or (next_check_at = ? and id > ?))
                order by next_check_at, id fetch first ? rows only""",
                (rs, i) -> new Due(rs.getLong(1), rs.getObject(2, OffsetDateTime.class)),
                now, afterTime, afterTime, afterId, limit);
    }

    /** What the deadline watcher found at a check: when it warned, when it found the deadline missed, when to look again. */
    public void checked(long nodeId, OffsetDateTime warnedAt, OffsetDateTime missedAt, OffsetDateTime nextCheckAt) {
        jdbc.update("update case_node set warned_at = ?, missed_at = ?, next_check_at = ? where id = ?",
                warnedAt, missedAt, nextCheckAt, nodeId);
    }

    /**
     * Charges a missed deadline to a unit that still owed its answer (one assessment entry of the clock's deduction, the
     * rule table's when it started); completed_at stays null while the unit still owes it, {@link #complete} fills it in later.
     */
    public void charge(long caseId, long nodeId, String unit, Node node, OffsetDateTime dueAt, int overrunDays,
                       BigDecimal deduction, OffsetDateTime recordedAt) {
        jdbc.update("""
                insert into assessment_entry (case_id, node_id, unit, node, due_at, completed_at, overrun_days, deduction, recorded_at)
                values (?, ?, ?, ?, ?, null, ?, ?, ?)""",
                caseId, nodeId, unit, node.name(), dueAt, overrunDays, deduction, recordedAt);
    }

    /** One clock by id, its row locked until the transaction ends (the deadline watcher's unit of work). */
    public Optional<Running> lock(long nodeId) {
        return jdbc.query(SELECT + " where id = ? and completed_at is null and cancelled_at is null for update",
                this::map, nodeId).stream().findFirst();
    }

    /** The case's clock that is neither completed nor cancelled (at most one runs at a time). */
    public Optional<Running> current(long caseId) {
        return jdbc.query(SELECT + " where case_id = ? and completed_at is null and cancelled_at is null order by id desc",
                this::map, caseId).stream().findFirst();
    }

    private Optional<Running> running(long caseId, Node node) {
        return current(caseId).filter(n -> n.node() == node);
    }

    static final String SELECT = """
            select id, case_id, node, responsible, rule_set, limit_days, day_kind, warning_percent, warning_min_days,
                   started_at, pauses, due_at, warning_at, warned_at, missed_at, deduction
            from case_node""";

    Running map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Node node = Node.valueOf(rs.getString("node"));
        List<String> responsible = List.of(rs.getString("responsible").split(","));
        TimeLimitRule rule = new TimeLimitRule(node, Sources.ANY, rs.getInt("limit_days"), DayKind.valueOf(rs.getString("day_kind")),
                responsible, new WarningThreshold(rs.getInt("warning_percent"), rs.getInt("warning_min_days")),
                rs.getString("rule_set"), null, rs.getBigDecimal("deduction"));
        return new Running(rs.getLong("id"), rs.getLong("case_id"), node, responsible, rule,
                time(rs, "started_at"), read(rs.getString("pauses")), time(rs, "due_at"), time(rs, "warning_at"),
                time(rs, "warned_at"), time(rs, "missed_at"));
    }

    private static OffsetDateTime time(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        return rs.getObject(column, OffsetDateTime.class);
    }

    private String write(List<Pause> pauses) {
        try {
            return json.writeValueAsString(pauses);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Pause> read(String pauses) {
        try {
            return json.readValue(pauses, PAUSES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
