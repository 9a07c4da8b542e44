package cn.yekuo.hub.process;

import cn.yekuo.hub.support.Replies;

import static cn.yekuo.hub.support.BillingClient.event;
import static cn.yekuo.hub.support.BillingClient.uniqueExample;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.TestPorts;

/**
 * The whole case lifecycle through the hub's command interface and billing events over JMS, read back as
 * billing reads it: CaseStatusChanged messages in order, with the deadline of the utility's running clock.
 */
@HubTest
class CaseLifecycleTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration QUIET = Duration.ofMillis(1500);

    @Autowired
    CaseProcess process;
    @Autowired
    JdbcTemplate jdbc;

    BillingClient billing;

    @BeforeEach
    void connect() {
        billing = new BillingClient(TestPorts.BROKER_URL);
    }

    @AfterEach
    void disconnect() {
        billing.close();
    }

    @Test
    void a_case_goes_from_application_to_energized_through_every_loop() {
        ObjectNode app = uniqueExample("application-new-install.json"); // accepted 2026-11-27, one source
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        List<JsonNode> opening = billing.awaitStatus(applicationNo, 3, WAIT);
        String caseNo = opening.get(0).get("caseNo").asText();
        assertThat(tasks(caseNo)).containsExactly("T1 SCHEME_TECHNICAL OPEN", "T2 SCHEME_BUSINESS OPEN");
        assertThat(taskDue(caseNo, 1)).isEqualTo("2026-12-18");

        // scheme: technical part rejected once, then both approved
        complete(caseNo, 1, "2026-11-30T10:00", TaskResult.REJECTED, Map.of("NOTE", "接入点需重新选择"));
        complete(caseNo, 2, "2026-11-30T11:00", TaskResult.APPROVED, Replies.with(Map.of("METERING", "高供高计", "TARIFF", "大工业用电",
                "ASSET_TRANSFER", "是", "FEES", "12800.00"), Replies.BUSINESS_FIELDS));
        assertThat(tasks(caseNo)).contains("T3 SCHEME_TECHNICAL OPEN");
        assertThat(taskDue(caseNo, 3)).as("a rejection does not restart the scheme clock").isEqualTo("2026-12-18");
        complete(caseNo, 3, "2026-12-01T09:00", TaskResult.APPROVED, Replies.with(Map.of("SOURCE", "110kV东郊变 10kV 912东园线",
                "CONNECTION_POINT", "912东园线 #23杆 T接", "OWNERSHIP_BOUNDARY", "#23杆 T接点刀闸下桩头"), Replies.TECHNICAL_FIELDS));

        // design, reviewed (10 working days), rejected once
        complete(caseNo, 4, "2026-12-02T09:00", TaskResult.DONE, Map.of());
        assertThat(taskDue(caseNo, 5)).isEqualTo("2026-12-16");
        complete(caseNo, 5, "2026-12-03T09:00", TaskResult.REJECTED, Map.of("DEFECTS", "接地设计不足；电缆截面偏小"));
        complete(caseNo, 6, "2026-12-04T09:00", TaskResult.DONE, Map.of());
        assertThat(taskDue(caseNo, 7)).isEqualTo("2026-12-18");
        complete(caseNo, 7, "2026-12-07T09:00", TaskResult.APPROVED, Map.of());

        // construction with a mid-inspection that fails once
        complete(caseNo, 8, "2026-12-08T09:00", TaskResult.INSPECTION_REQUESTED, Map.of());
        assertThat(tasks(caseNo)).contains("T8 CONSTRUCTION OPEN", "T9 MID_INSPECTION OPEN");
        assertThat(taskDue(caseNo, 9)).isEqualTo("2026-12-15");
        complete(caseNo, 9, "2026-12-09T09:00", TaskResult.FAILED, Map.of("DEFECTS", "电缆沟积水"));
        complete(caseNo, 10, "2026-12-10T09:00", TaskResult.DONE, Map.of());
        complete(caseNo, 11, "2026-12-11T09:00", TaskResult.APPROVED, Map.of());
        complete(caseNo, 8, "2026-12-14T09:00", TaskResult.COMPLETED, Map.of());

        // the joint completion acceptance, failed once by production (5 working days each run); one clock per round
        assertThat(taskDue(caseNo, 12)).isEqualTo("2026-12-21");
        assertThat(taskDue(caseNo, 13)).as("marketing's task answers to the same clock").isEqualTo("2026-12-21");
        complete(caseNo, 12, "2026-12-15T09:00", TaskResult.FAILED, Map.of("DEFECTS", "接地电阻超标"));
        complete(caseNo, 13, "2026-12-15T10:00", TaskResult.APPROVED, Map.of());
        complete(caseNo, 14, "2026-12-16T09:00", TaskResult.DONE, Map.of());
        assertThat(taskDue(caseNo, 15)).isEqualTo("2026-12-23");
        complete(caseNo, 15, "2026-12-17T09:00", TaskResult.APPROVED, Map.of());
        complete(caseNo, 16, "2026-12-17T10:00", TaskResult.APPROVED, Map.of());

        // the customer's formalities over JMS, in an odd order; the joint energization opens with the last one
        billing.sendEvent(event("ContractSigned", applicationNo, "signedAt", "2026-12-18T10:00:00+08:00", "contractNo", "GYD-2026-0088"));
        billing.sendEvent(event("ArrearsCleared", applicationNo, "clearedAt", "2026-12-19T10:00:00+08:00", "customerId", "3301000123456"));
        billing.sendEvent(event("FeesSettled", applicationNo, "paidAt", "2026-12-20T10:00:00+08:00", "amount", "12800.00"));
        List<JsonNode> middle = billing.awaitStatus(applicationNo, 5, WAIT);
        assertThat(taskDue(caseNo, 17)).as("5 calendar days from the last formality").isEqualTo("2026-12-25");
        assertThat(tasks(caseNo)).contains("T17 ENERGIZATION OPEN", "T18 ENERGIZATION_PRODUCTION OPEN",
                "T19 ENERGIZATION_MARKETING OPEN", "T20 ENERGIZATION_CONSTRUCTION OPEN");
        complete(caseNo, 18, "2026-12-21T09:00", TaskResult.DONE, Map.of());
        complete(caseNo, 19, "2026-12-21T09:30", TaskResult.DONE, Map.of());
        complete(caseNo, 20, "2026-12-21T10:00", TaskResult.DONE, Map.of());
        complete(caseNo, 17, "2026-12-22T10:30", TaskResult.DONE, Map.of("METER_NO", "3301-88990011", "ENERGIZED_AT", "2026-12-22 10:30"));

        List<JsonNode> last = billing.awaitStatusExactly(applicationNo, 1, WAIT, QUIET);
        List<JsonNode> all = new java.util.ArrayList<>(opening);
        all.addAll(middle);
        all.addAll(last);
        assertThat(all).extracting(m -> m.get("stage").asText() + " " + text(m.get("dueAt")))
                .containsExactly(
                        "RECEIVED null",
                        "ACCEPTED 2026-12-18T23:59:59+08:00",
                        "SCHEME 2026-12-18T23:59:59+08:00",
                        "DESIGN null",
                        "CONSTRUCTION null",
                        "ACCEPTANCE 2026-12-21T23:59:59+08:00",
                        "CONTRACT null",
                        "ENERGIZATION 2026-12-25T23:59:59+08:00",
                        "ENERGIZED null");
        assertThat(all).extracting(m -> text(m.get("previousStage"))).containsExactly("null", "RECEIVED", "ACCEPTED",
                "SCHEME", "DESIGN", "CONSTRUCTION", "ACCEPTANCE", "CONTRACT", "ENERGIZATION");
        assertThat(all.get(6).get("reason").asText()).as("CONTRACT waits for the customer").contains("等待客户");
        assertThat(tasks(caseNo)).hasSize(20).allMatch(t -> t.endsWith("CLOSED"));
        assertThat(jdbc.queryForObject("select count(*) from case_node n join yk_case c on c.id = n.case_id where c.case_no = ?"
                + " and n.completed_at is null and n.cancelled_at is null", Integer.class, caseNo)).as("no clock left running").isZero();
    }

    @Test
    void materials_supplied_over_jms_accept_the_case_and_a_withdrawal_ends_it() {
        ObjectNode app = uniqueExample("application-capacity-increase-missing-materials.json"); // two sources
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        assertThat(billing.awaitStatus(applicationNo, 2, WAIT)).extracting(m -> m.get("stage").asText())
                .containsExactly("RECEIVED", "AWAITING_MATERIALS");

        billing.sendEvent(event("MaterialsSupplemented", applicationNo, "suppliedAt", "2026-11-30T15:20:00+08:00",
                "materials", List.of("AGENT_AUTHORIZATION", "SITE_PLAN", "EXISTING_CONTRACT")));
        List<JsonNode> accepted = billing.awaitStatus(applicationNo, 2, WAIT);
        // dual source: 30 working days from 2026-11-30; 2027 has no holiday notice loaded, so Monday–Friday there
        assertThat(accepted).extracting(m -> m.get("stage").asText() + " " + text(m.get("dueAt")))
                .containsExactly("ACCEPTED 2027-01-11T23:59:59+08:00", "SCHEME 2027-01-11T23:59:59+08:00");

        billing.sendEvent(event("ApplicationWithdrawn", applicationNo, "withdrawnAt", "2026-12-15T09:00:00+08:00", "reason", "客户项目延期"));
        List<JsonNode> withdrawn = billing.awaitStatusExactly(applicationNo, 1, WAIT, QUIET);
        assertThat(withdrawn.get(0).get("stage").asText()).isEqualTo("WITHDRAWN");
        assertThat(withdrawn.get(0).get("reason").asText()).isEqualTo("客户项目延期");
        String caseNo = withdrawn.get(0).get("caseNo").asText();
        assertThat(tasks(caseNo)).containsExactly("T1 SCHEME_TECHNICAL CANCELLED", "T2 SCHEME_BUSINESS CANCELLED");
    }

    @Test
    void a_pause_for_the_customer_stops_the_clock_and_moves_the_deadline_by_the_days_it_covered() {
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        String caseNo = billing.awaitStatus(applicationNo, 3, WAIT).get(0).get("caseNo").asText();

        apply(caseNo, new Command.PauseForCustomer(at("2026-12-01T09:00"), Actor.REPRESENTATIVE, "客户要求暂缓，待确认用电负荷"));
        JsonNode paused = billing.awaitStatus(applicationNo, 1, WAIT).get(0);
        assertThat(paused.get("stage").asText()).isEqualTo("SCHEME");
        assertThat(paused.get("previousStage").asText()).isEqualTo("SCHEME");
        assertThat(paused.get("dueAt").isNull()).isTrue();
        assertThat(paused.get("reason").asText()).contains("客户要求暂缓");
        assertThat(taskDue(caseNo, 1)).isNull();

        apply(caseNo, new Command.ResumeFromCustomer(at("2026-12-04T09:00"), Actor.REPRESENTATIVE));
        JsonNode resumed = billing.awaitStatusExactly(applicationNo, 1, WAIT, QUIET).get(0);
        // the pause covered Dec 2, 3, 4: three working days more than 2026-12-18
        assertThat(resumed.get("dueAt").asText()).isEqualTo("2026-12-23T23:59:59+08:00");
        assertThat(taskDue(caseNo, 1)).isEqualTo("2026-12-23");
    }

    @Test
    void events_that_do_not_fit_are_rejected_and_change_nothing() throws Exception {
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        billing.awaitStatus(applicationNo, 3, WAIT);
        // the contact card is issued after the intake commits (its timeline entry and mail come then)
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from outbox where channel = 'document' and sent_at is null and dead_at is null", Integer.class) == 0);
        long timeline = count("case_timeline");
        long outbox = count("outbox");
        String stateBefore = jdbc.queryForObject("select state_json from yk_case where application_no = ?", String.class, applicationNo);

        String unknown = event("FeesSettled", "SG186-NOBODY-" + UUID.randomUUID(), "paidAt", "2026-12-20T10:00:00+08:00", "amount", "1.00");
        assertThat(rejection(unknown).get("errorCode").asText()).isEqualTo("UNKNOWN_APPLICATION");

        String notAwaiting = event("MaterialsSupplemented", applicationNo, "suppliedAt", "2026-11-30T15:20:00+08:00",
                "materials", List.of("SITE_PLAN"));
        JsonNode invalid = rejection(notAwaiting);
        assertThat(invalid.get("errorCode").asText()).isEqualTo("INVALID_STATE");
        assertThat(invalid.get("applicationNo").asText()).isEqualTo(applicationNo);

        // the contract is signed after a passed acceptance: in SCHEME it does not fit
        String early = event("ContractSigned", applicationNo, "signedAt", "2026-12-01T10:00:00+08:00", "contractNo", "GYD-2026-0001");
        JsonNode tooEarly = rejection(early);
        assertThat(tooEarly.get("errorCode").asText()).isEqualTo("INVALID_STATE");
        assertThat(tooEarly.get("errors").get(0).asText())
                .startsWith("type: CONTRACT_SIGNED is accepted only in CONTRACT, after a passed acceptance; case ")
                .endsWith(" is SCHEME");

        assertThat(count("case_timeline")).isEqualTo(timeline);
        assertThat(count("outbox")).isEqualTo(outbox);
        assertThat(jdbc.queryForObject("select state_json from yk_case where application_no = ?", String.class, applicationNo))
                .isEqualTo(stateBefore);
        assertThat(billing.awaitDeadLetters("yk_error_code = 'INVALID_STATE'", 2, Duration.ofSeconds(5))).hasSize(2);
    }

    @Test
    void a_repeated_event_message_id_has_no_further_effect() {
        ObjectNode app = uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        String caseNo = billing.awaitStatus(applicationNo, 3, WAIT).get(0).get("caseNo").asText();
        String fees = event("FeesSettled", applicationNo, "paidAt", "2026-12-01T10:00:00+08:00", "amount", "12800.00");
        billing.sendEvent(fees);
        billing.sendEvent(fees);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> timelineKinds(caseNo).stream().anyMatch(k -> k.contains("SettleFees")
                || k.contains("FEES")));
        assertThat(billing.awaitDeadLetters("yk_error_code IS NOT NULL AND applicationNo = '" + applicationNo + "'", 1, Duration.ofSeconds(3)))
                .as("the repeat is neither applied (ALREADY_DONE) nor rejected").isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from processed_message where consumer = 'billing-events' and message_id = ?",
                Integer.class, idOf(fees))).isEqualTo(1);
    }

    // --- helpers ---

    void complete(String caseNo, int taskNo, String localTime, TaskResult result, Map<String, String> fields) {
        apply(caseNo, new Command.CompleteTask(at(localTime), Actor.UNIT, taskNo, result, fields));
    }

    void apply(String caseNo, Command command) {
        CommandResult result = process.byCaseNo(caseNo, command, CaseProcess.Source.NONE);
        assertThat(result).as(command.toString()).isInstanceOf(CommandResult.Applied.class);
    }

    static OffsetDateTime at(String localTime) {
        return OffsetDateTime.parse(localTime + ":00+08:00");
    }

    List<String> tasks(String caseNo) {
        return jdbc.queryForList("""
                select concat('T', t.task_no, ' ', t.kind, ' ', t.status) from case_task t join yk_case c on c.id = t.case_id
                where c.case_no = ? order by t.task_no""", String.class, caseNo);
    }

    /** The day (Shanghai) a task's answer is due, from the clock it answers to; null while that clock is paused. */
    String taskDue(String caseNo, int taskNo) {
        OffsetDateTime due = jdbc.queryForObject("""
                select n.due_at from case_task t join yk_case c on c.id = t.case_id join case_node n on n.id = t.node_id
                where c.case_no = ? and t.task_no = ?""", OffsetDateTime.class, caseNo, taskNo);
        return due == null ? null : due.atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate().toString();
    }

    List<String> timelineKinds(String caseNo) {
        return jdbc.queryForList("select t.kind from case_timeline t join yk_case c on c.id = t.case_id where c.case_no = ?",
                String.class, caseNo);
    }

    JsonNode rejection(String event) throws Exception {
        billing.sendEvent(event);
        List<JsonNode> answer = billing.awaitRejection(idOf(event), WAIT);
        assertThat(answer).hasSize(1);
        return answer.get(0);
    }

    long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    static String idOf(String json) {
        try {
            return BillingClient.JSON.readTree(json).get("messageId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() ? "null" : n.asText();
    }
}
