package cn.yekuo.hub.deadlines;

import cn.yekuo.hub.support.Replies;

import static cn.yekuo.hub.deadlines.DeadlineHubs.at;
import static cn.yekuo.hub.deadlines.DeadlineHubs.entries;
import static cn.yekuo.hub.deadlines.DeadlineHubs.schemeNode;
import static cn.yekuo.hub.deadlines.DeadlineHubs.timelineKinds;
import static cn.yekuo.hub.deadlines.DeadlineHubs.timelineSummaries;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import cn.yekuo.hub.deadlines.DeadlineHubs.Entry;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.support.MutableClock;
import cn.yekuo.hub.support.RunningHub;

/**
 * The deadline watcher on a real hub (intake over JMS, the store, the process manager), its clock set by the test.
 * Every case is the example new installation, single source, submitted 2026-11-27 09:30 +08:00: the scheme reply
 * (production + marketing) is due at the end of 2026-12-18 (15 working days), the warning comes at the start of
 * 2026-12-16 (3 of 15 days = 20% left). Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeadlineWatcherContract {

    static final OffsetDateTime DUE = OffsetDateTime.parse("2026-12-18T23:59:59+08:00");
    static final Map<String, String> TECHNICAL = Replies.with(Map.of(
            "SOURCE", "110kV东郊变 10kV东园线", "CONNECTION_POINT", "东园线12号杆", "OWNERSHIP_BOUNDARY", "12号杆T接点"),
            Replies.TECHNICAL_FIELDS);
    static final Map<String, String> BUSINESS = Replies.with(Map.of(
            "METERING", "高供高计", "TARIFF", "大工业用电", "ASSET_TRANSFER", "是", "FEES", "12800.00"), Replies.BUSINESS_FIELDS);

    RunningHub hub;
    MutableClock clock;
    DeadlineWatcher watcher;
    RecordingDeadlineListener listener;

    abstract int brokerPort();

    abstract Map<String, Object> database(String name);

    @BeforeAll
    void startHub() {
        hub = DeadlineHubs.start(RunningHub.newDataDir("deadlines"), brokerPort(), database("deadlines"), DeadlineHubs.NEVER);
        clock = DeadlineHubs.clock(hub);
        watcher = hub.bean(DeadlineWatcher.class);
        listener = hub.bean(RecordingDeadlineListener.class);
    }

    @AfterAll
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    String newCase() {
        clock.set(DeadlineHubs.SUBMITTED);
        return DeadlineHubs.newCase(hub, brokerPort());
    }

    DeadlineWatcher.ScanResult scanAt(OffsetDateTime now) {
        clock.set(now);
        return watcher.scan();
    }

    CommandResult command(String caseNo, Command command) {
        clock.set(command.at());
        CommandResult result = hub.bean(CaseProcess.class).byCaseNo(caseNo, command, CaseProcess.Source.NONE);
        assertThat(result).isInstanceOf(CommandResult.Applied.class);
        return result;
    }

    double missedCount(String unit) {
        return hub.bean(MeterRegistry.class).get("yk.nodes.missed").tag("unit", unit).tag("node", "SCHEME_REPLY").counter().count();
    }

    double completedCount(String unit, boolean onTime) {
        return hub.bean(MeterRegistry.class).get("yk.nodes.completed").tag("unit", unit).tag("node", "SCHEME_REPLY")
                .tag("on_time", String.valueOf(onTime)).counter().count();
    }

    @Test
    void the_scheme_clock_of_a_case_accepted_on_2026_11_27_is_due_at_the_end_of_2026_12_18_and_warns_from_2026_12_16() {
        String caseNo = newCase();
        Map<String, Object> node = schemeNode(hub, caseNo);
        assertThat(((OffsetDateTime) node.get("due_at")).toInstant()).isEqualTo(DUE.toInstant());
        assertThat(((OffsetDateTime) node.get("warning_at")).toInstant()).isEqualTo(at("2026-12-16T00:00:00").toInstant());
        assertThat(((OffsetDateTime) node.get("next_check_at")).toInstant()).isEqualTo(at("2026-12-16T00:00:00").toInstant());
    }

    @Test
    void a_warning_is_recorded_when_a_fifth_of_the_limit_remains_and_not_a_minute_earlier() {
        String caseNo = newCase();
        scanAt(at("2026-12-15T23:59:00"));
        assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).isEmpty();
        assertThat(listener.warningsOf(caseNo)).isEmpty();

        scanAt(at("2026-12-16T00:00:30"));
        assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).containsExactly("DEADLINE_WARNING");
        assertThat(timelineSummaries(hub, caseNo, "DEADLINE_WARNING").get(0))
                .contains("时限预警", "供电方案答复", "2026-12-18", "生产技术部", "市场营销部", "Deadline warning", "SCHEME_REPLY");
        Map<String, Object> node = schemeNode(hub, caseNo);
        assertThat(node.get("warned_at")).isNotNull();
        assertThat(node.get("missed_at")).isNull();
        assertThat(((OffsetDateTime) node.get("next_check_at")).toInstant())
                .as("next look: when the deadline is missed").isEqualTo(at("2026-12-19T00:00:00").toInstant());
        assertThat(listener.warningsOf(caseNo)).singleElement().satisfies(n -> {
            assertThat(n.units()).containsExactly("production", "marketing");
            assertThat(n.dueAt().toInstant()).isEqualTo(DUE.toInstant());
            assertThat(n.node().name()).isEqualTo("SCHEME_REPLY");
        });
        assertThat(entries(hub, caseNo)).as("a warning charges nobody").isEmpty();
    }

    @Test
    void the_deadline_is_missed_the_day_after_2026_12_18_and_charges_production_and_marketing_while_both_scheme_tasks_are_open() {
        String caseNo = newCase();
        scanAt(at("2026-12-16T08:00:00"));
        scanAt(at("2026-12-18T23:59:00"));
        assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).containsExactly("DEADLINE_WARNING");
        assertThat(entries(hub, caseNo)).isEmpty();

        double missedBefore = missedCount("production") + missedCount("marketing");
        scanAt(at("2026-12-19T00:00:30"));
        assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).containsExactly("DEADLINE_WARNING", "DEADLINE_MISSED");
        assertThat(missedCount("production") + missedCount("marketing") - missedBefore)
                .as("yk_nodes_missed_total: one per charged unit").isEqualTo(2.0);
        assertThat(timelineSummaries(hub, caseNo, "DEADLINE_MISSED").get(0))
                .contains("超时限", "供电方案答复", "生产技术部", "市场营销部", "Deadline missed", "production", "marketing");
        List<Entry> entries = entries(hub, caseNo);
        assertThat(entries).extracting(Entry::unit).containsExactly("marketing", "production");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.node()).isEqualTo("SCHEME_REPLY");
            assertThat(e.dueAt().toInstant()).isEqualTo(DUE.toInstant());
            assertThat(e.completedAt()).as("still open").isNull();
            assertThat(e.overrunDays()).isEqualTo(1);
            assertThat(e.deduction()).isEqualByComparingTo(new BigDecimal("1.0"));
        });
        Map<String, Object> node = schemeNode(hub, caseNo);
        assertThat(node.get("missed_at")).isNotNull();
        assertThat(node.get("next_check_at")).as("nothing more to watch").isNull();
        assertThat(listener.missesOf(caseNo)).singleElement()
                .satisfies(n -> assertThat(n.units()).containsExactly("production", "marketing"));
    }

    @Test
    void only_the_unit_still_open_is_charged_when_the_other_answered_and_its_late_answer_completes_the_entry() {
        String caseNo = newCase();
        command(caseNo, new Command.CompleteTask(at("2026-12-10T10:00:00"), Actor.UNIT, 1, TaskResult.APPROVED, TECHNICAL));

        scanAt(at("2026-12-19T09:00:00"));
        List<Entry> entries = entries(hub, caseNo);
        assertThat(entries).extracting(Entry::unit).containsExactly("marketing");
        assertThat(listener.missesOf(caseNo)).singleElement().satisfies(n -> assertThat(n.units()).containsExactly("marketing"));

        // marketing answers on Tuesday 2026-12-22: two working days late (Mon 21, Tue 22)
        double lateBefore = completedCount("marketing", false);
        command(caseNo, new Command.CompleteTask(at("2026-12-22T15:00:00"), Actor.UNIT, 2, TaskResult.APPROVED, BUSINESS));
        assertThat(completedCount("marketing", false) - lateBefore).as("yk_nodes_completed_total, not on time").isEqualTo(1.0);
        Entry completed = entries(hub, caseNo).get(0);
        assertThat(completed.completedAt().toInstant()).isEqualTo(at("2026-12-22T15:00:00").toInstant());
        assertThat(completed.overrunDays()).isEqualTo(2);
        assertThat(((Number) schemeNode(hub, caseNo).get("overrun_days")).intValue()).isEqualTo(2);
    }

    @Test
    void no_entry_when_the_customer_paused_the_clock_long_enough_that_the_extended_deadline_has_not_passed() {
        String caseNo = newCase();
        // the customer is waited for from Tue 12-01 to Thu 12-10: working days 2,3,4,7,8,9,10 December are not the utility's
        command(caseNo, new Command.PauseForCustomer(at("2026-12-01T10:00:00"), Actor.REPRESENTATIVE, "客户补充负荷资料"));
        scanAt(at("2026-12-09T00:00:00"));
        assertThat(schemeNode(hub, caseNo).get("next_check_at")).as("a paused clock is not watched").isNull();
        command(caseNo, new Command.ResumeFromCustomer(at("2026-12-10T16:00:00"), Actor.REPRESENTATIVE));
        assertThat(((OffsetDateTime) schemeNode(hub, caseNo).get("due_at")).toInstant())
                .isEqualTo(at("2026-12-29T23:59:59").toInstant());

        scanAt(at("2026-12-19T00:00:30"));
        scanAt(at("2026-12-25T12:00:00")); // 3 counted days left of the extended limit: 25, 28, 29
        assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).as("not missed; warned on the extended schedule")
                .containsExactly("DEADLINE_WARNING");
        assertThat(entries(hub, caseNo)).isEmpty();
        assertThat(listener.missesOf(caseNo)).isEmpty();

        scanAt(at("2026-12-30T00:00:30"));
        assertThat(entries(hub, caseNo)).as("the utility's own lateness after the extension is charged")
                .extracting(Entry::unit).containsExactly("marketing", "production");
    }

    @Test
    void a_second_scan_records_nothing_twice() {
        String caseNo = newCase();
        scanAt(at("2026-12-16T08:00:00"));
        scanAt(at("2026-12-19T08:00:00"));
        List<String> timeline = timelineKinds(hub, caseNo, "DEADLINE_");
        List<Entry> entries = entries(hub, caseNo);
        assertThat(entries).hasSize(2);

        scanAt(at("2026-12-19T08:00:00"));
        scanAt(at("2026-12-24T08:00:00"));
        assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).isEqualTo(timeline);
        assertThat(entries(hub, caseNo)).isEqualTo(entries);
        assertThat(listener.warningsOf(caseNo)).hasSize(1);
        assertThat(listener.missesOf(caseNo)).hasSize(1);
    }

    @Test
    void a_warning_not_given_before_the_deadline_passed_is_not_given_after_it() {
        String caseNo = newCase();
        scanAt(at("2026-12-21T08:00:00")); // the hub was down from before the warning until after the deadline
        assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).containsExactly("DEADLINE_MISSED");
        assertThat(entries(hub, caseNo)).extracting(Entry::overrunDays).containsOnly(1);
    }

    @Test
    void several_clocks_per_transaction_are_each_recorded_once_as_alone() {
        String first = newCase();
        String second = newCase();
        watcher.nodesPerTransaction(50);
        try {
            scanAt(at("2026-12-19T06:00:00"));
            scanAt(at("2026-12-19T07:00:00"));
        } finally {
            watcher.nodesPerTransaction(1);
        }
        for (String caseNo : List.of(first, second)) {
            assertThat(timelineKinds(hub, caseNo, "DEADLINE_")).containsExactly("DEADLINE_MISSED");
            assertThat(entries(hub, caseNo)).extracting(Entry::unit).containsExactly("marketing", "production");
            assertThat(listener.missesOf(caseNo)).hasSize(1);
        }
    }
}
