package cn.yekuo.hub.deadlines;

import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RunningHub;

/** Starting hubs for the deadline tests (settable clock, a recording listener) and reading what the watcher wrote. */
final class DeadlineHubs {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** The example application's own time: the scheme clock starts here, 15 working days end on 2026-12-18. */
    static final OffsetDateTime SUBMITTED = OffsetDateTime.parse("2026-11-27T09:30:00+08:00");
    /** A Quartz cron that does not fire during a test: the tests scan when they choose. */
    static final String NEVER = "0 0 0 1 1 ? 2099";

    private DeadlineHubs() {
    }

    static RunningHub start(Path data, int brokerPort, Map<String, Object> database, String cron) {
        Map<String, Object> props = new HashMap<>(database);
        props.put("yk.test.clock", "mutable");
        props.put("yk.test.clock-start", SUBMITTED.toString());
        props.put("yk.test.deadline-listener", "recording");
        props.put("yk.deadlines.cron", cron);
        return RunningHub.start(data, brokerPort, props);
    }

    static MutableClock clock(RunningHub hub) {
        return hub.bean(MutableClock.class);
    }

    /** A new case through the real intake (JMS, billing account); returns its case number once it is in SCHEME. */
    static String newCase(RunningHub hub, int brokerPort) {
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        try (BillingClient billing = new BillingClient("tcp://127.0.0.1:" + brokerPort)) {
            billing.sendApplication(app.toString());
        }
        JdbcTemplate jdbc = hub.jdbc();
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from yk_case where application_no = ? and stage = 'SCHEME'", Integer.class, applicationNo) == 1);
        return jdbc.queryForObject("select case_no from yk_case where application_no = ?", String.class, applicationNo);
    }

    record Entry(String unit, String node, OffsetDateTime dueAt, OffsetDateTime completedAt, int overrunDays, BigDecimal deduction) {
    }

    static List<Entry> entries(RunningHub hub, String caseNo) {
        return hub.jdbc().query("""
                select e.unit, e.node, e.due_at, e.completed_at, e.overrun_days, e.deduction
                from assessment_entry e join yk_case c on c.id = e.case_id where c.case_no = ? order by e.unit""",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getInt(5), rs.getBigDecimal(6)), caseNo);
    }

    static List<String> timelineKinds(RunningHub hub, String caseNo, String kindPrefix) {
        return hub.jdbc().queryForList("""
                select t.kind from case_timeline t join yk_case c on c.id = t.case_id
                where c.case_no = ? and t.kind like ? order by t.id""", String.class, caseNo, kindPrefix + "%");
    }

    static List<String> timelineSummaries(RunningHub hub, String caseNo, String kind) {
        return hub.jdbc().queryForList("""
                select t.summary from case_timeline t join yk_case c on c.id = t.case_id
                where c.case_no = ? and t.kind = ? order by t.id""", String.class, caseNo, kind);
    }

    /** The scheme clock's row, timestamps as OffsetDateTime on both databases. */
    static Map<String, Object> schemeNode(RunningHub hub, String caseNo) {
        return hub.jdbc().query("""
                select n.id, n.due_at, n.warning_at, n.warned_at, n.missed_at, n.next_check_at, n.completed_at, n.overrun_days
                from case_node n join yk_case c on c.id = n.case_id where c.case_no = ? and n.node = 'SCHEME_REPLY'""", rs -> {
                    rs.next();
                    Map<String, Object> row = new HashMap<>();
                    row.put("id", rs.getLong("id"));
                    for (String column : List.of("due_at", "warning_at", "warned_at", "missed_at", "next_check_at", "completed_at")) {
                        row.put(column, rs.getObject(column, OffsetDateTime.class));
                    }
                    row.put("overrun_days", rs.getInt("overrun_days"));
                    return row;
                }, caseNo);
    }

    static OffsetDateTime at(String isoLocalShanghai) {
        return OffsetDateTime.parse(isoLocalShanghai + "+08:00");
    }
}
