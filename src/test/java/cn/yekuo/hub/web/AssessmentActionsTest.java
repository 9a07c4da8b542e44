package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.HubTest;

/**
 * Issue 17 point 5 over HTTP (contract §4.3, §4.4): clause 2 as a representative's action, a lead's waiver and correction
 * with their history, a back-dated pause inside its window, and the month's report showing each entry's cause.
 */
@HubTest
class AssessmentActionsTest extends WebTestBase {

    @Test
    void a_unit_that_did_not_cooperate_is_charged_with_reason_and_evidence_and_a_lead_alone_may_waive_or_correct() {
        String caseNo = hub.caseInScheme();
        String body = "{\"unit\":\"production\",\"reason\":\"现场勘查两次约定均未到场\",\"evidence\":\"客户经理电话记录 12-03、12-04\"}";
        assertThat(hub.action(caseNo, "non-cooperation", "viewer", body).statusCode()).isEqualTo(403);
        CaseApiTest.assertField(hub.action(caseNo, "non-cooperation", "rep2", "{\"unit\":\"assessment\",\"reason\":\"x\",\"evidence\":\"y\"}"),
                "unit");
        CaseApiTest.assertField(hub.action(caseNo, "non-cooperation", "rep2", "{\"unit\":\"production\",\"reason\":\"x\"}"), "evidence");
        assertThat(hub.action(caseNo, "non-cooperation", "rep2",
                "{\"unit\":\"production\",\"reason\":\"x\",\"evidence\":\"y\",\"mailId\":999999999}").statusCode())
                .as("evidence must be a mail of the case").isEqualTo(404);

        HttpResponse<String> ok = hub.action(caseNo, "non-cooperation", "rep2", body);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(hub.action(caseNo, "non-cooperation", "rep2",
                "{\"unit\":\"marketing\",\"reason\":\"未按要求提供电价意见\",\"evidence\":\"催办邮件未复\"}").statusCode()).isEqualTo(200);

        JsonNode entries = WebFixture.json(hub.get("/api/cases/" + caseNo + "/assessment", "viewer")).get("entries");
        assertThat(entries).hasSize(2);
        JsonNode production = entries.get(0);
        assertThat(production.get("cause").asText()).isEqualTo("NON_COOPERATION");
        assertThat(production.get("unit").asText()).isEqualTo("production");
        assertThat(production.get("node").asText()).as("the node of its open task").isEqualTo("SCHEME_REPLY");
        assertThat(production.get("reason").asText()).isEqualTo("现场勘查两次约定均未到场");
        assertThat(production.get("evidence").asText()).contains("电话记录");
        assertThat(production.get("recordedBy").asText()).isEqualTo("rep2");
        assertThat(production.get("deduction").decimalValue()).as("the rule set's nonCooperationDeduction").isEqualByComparingTo("1");
        assertThat(production.get("waived").asBoolean()).isFalse();
        assertThat(timelineKinds(caseNo)).contains("NON_COOPERATION");
        long first = production.get("id").asLong();
        long second = entries.get(1).get("id").asLong();

        // waive: a lead only, with a reason; once
        String waive = "{\"entryId\":" + first + ",\"reason\":\"生技已说明系客户临时改约\"}";
        HttpResponse<String> notLead = hub.action(caseNo, "waive-entry", "rep2", waive);
        assertThat(notLead.statusCode()).isEqualTo(403);
        assertThat(WebFixture.json(notLead).get("code").asText()).isEqualTo("NOT_LEAD");
        CaseApiTest.assertField(hub.action(caseNo, "waive-entry", "rep", "{\"entryId\":" + first + "}"), "reason");
        assertThat(hub.action(caseNo, "waive-entry", "rep", waive).statusCode()).isEqualTo(200);
        HttpResponse<String> again = hub.action(caseNo, "waive-entry", "rep", waive);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(again).get("code").asText()).isEqualTo("ALREADY_DONE");
        assertThat(hub.action(hub.caseInScheme(), "waive-entry", "rep", waive).statusCode())
                .as("another case's entry").isEqualTo(404);

        // correct: another deduction and another unit, with a reason
        CaseApiTest.assertField(hub.action(caseNo, "correct-entry", "rep",
                "{\"entryId\":" + second + ",\"deduction\":\"-1\",\"reason\":\"r\"}"), "deduction");
        CaseApiTest.assertField(hub.action(caseNo, "correct-entry", "rep", "{\"entryId\":" + second + ",\"reason\":\"r\"}"), "deduction");
        assertThat(hub.action(caseNo, "correct-entry", "rep",
                "{\"entryId\":" + second + ",\"deduction\":\"0.5\",\"unit\":\"production\",\"reason\":\"电价意见归生技\"}").statusCode())
                .isEqualTo(200);

        entries = WebFixture.json(hub.get("/api/cases/" + caseNo + "/assessment", "viewer")).get("entries");
        JsonNode waived = entries.get(0);
        assertThat(waived.get("waived").asBoolean()).isTrue();
        assertThat(waived.get("deduction").decimalValue()).isEqualByComparingTo("0");
        assertThat(waived.get("changes")).hasSize(1);
        JsonNode w = waived.get("changes").get(0);
        assertThat(w.get("action").asText()).isEqualTo("WAIVE");
        assertThat(w.get("user").asText()).isEqualTo("rep");
        assertThat(w.get("reason").asText()).isEqualTo("生技已说明系客户临时改约");
        assertThat(w.get("deductionBefore").decimalValue()).isEqualByComparingTo("1");
        JsonNode corrected = entries.get(1);
        assertThat(corrected.get("unit").asText()).isEqualTo("production");
        assertThat(corrected.get("deduction").decimalValue()).isEqualByComparingTo("0.5");
        JsonNode c = corrected.get("changes").get(0);
        assertThat(c.get("action").asText()).isEqualTo("CORRECT");
        assertThat(c.get("unitBefore").asText() + " → " + c.get("unitAfter").asText()).isEqualTo("marketing → production");
        assertThat(timelineKinds(caseNo)).contains("CHARGE_WAIVED", "CHARGE_CORRECTED");

        // the month's report lists both with their cause (JSON §4.4 and the CSV/PDF report)
        String month = production.get("dueAt").asText().substring(0, 7);
        JsonNode report = WebFixture.json(hub.get("/api/reports/assessment?month=" + month, "viewer"));
        List<String> causes = new ArrayList<>();
        report.get("entries").forEach(e -> {
            if (caseNo.equals(e.path("caseNo").asText())) {
                causes.add(e.get("cause").asText() + " " + e.get("unit").asText() + " " + e.get("waived").asBoolean());
            }
        });
        assertThat(causes).containsExactly("NON_COOPERATION production true", "NON_COOPERATION production false");
        List<String> nodes = new ArrayList<>();
        report.get("nodes").forEach(n -> nodes.add(n.get("unit").asText()));
        assertThat(nodes).as("on-time per node too").contains("SCHEME_REPLY", "ENERGIZATION");
        String csv = hub.get("/api/reports/assessment?month=" + month, "viewer", "text/csv").body();
        assertThat(csv).contains(",cause,reason\r\n")
                .contains("entry,production,生产技术部,,,,,0.0," + caseNo + ",供电方案答复,")
                .contains("NON_COOPERATION WAIVED,未按要求配合：现场勘查两次约定均未到场；已免除：生技已说明系客户临时改约")
                .contains("NON_COOPERATION,未按要求配合：未按要求提供电价意见；已更正：电价意见归生技");
    }

    @Test
    void a_pause_may_be_dated_back_inside_the_window_but_not_before_the_clock_started() {
        String caseNo = hub.caseInScheme();
        OffsetDateTime started = OffsetDateTime.parse(
                WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("currentNode").get("startedAt").asText());

        HttpResponse<String> far = hub.action(caseNo, "pause", "rep",
                "{\"reason\":\"客户出差\",\"from\":\"" + started.minusDays(30) + "\"}");
        CaseApiTest.assertField(far, "from");
        assertThat(WebFixture.json(far).get("message").asText()).contains("working days back");
        CaseApiTest.assertField(hub.action(caseNo, "pause", "rep", "{\"reason\":\"客户出差\",\"from\":\"yesterday\"}"), "from");
        CaseApiTest.assertField(hub.action(caseNo, "pause", "rep",
                "{\"reason\":\"客户出差\",\"from\":\"" + OffsetDateTime.now().plusHours(1) + "\"}"), "from");
        HttpResponse<String> before = hub.action(caseNo, "pause", "rep",
                "{\"reason\":\"客户出差\",\"from\":\"" + started.minusMinutes(1) + "\"}");
        assertThat(before.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(before).get("code").asText()).isEqualTo("BEFORE_NODE_STARTED");

        assertThat(hub.action(caseNo, "pause", "rep", "{\"reason\":\"客户出差\",\"from\":\"" + started + "\"}").statusCode())
                .isEqualTo(200);
        JsonNode c = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(OffsetDateTime.parse(c.get("waitingForCustomer").get("since").asText()).isEqual(started)).isTrue();
        assertThat(c.get("currentNode").get("dueStatus").asText()).isEqualTo("PAUSED");
        List<String> waits = new ArrayList<>();
        c.get("timeline").forEach(t -> {
            if (t.get("kind").asText().equals("CUSTOMER_WAIT")) {
                waits.add(OffsetDateTime.parse(t.get("at").asText()).isEqual(started) + " " + t.get("details").asText());
            }
        });
        assertThat(waits).singleElement().asString().startsWith("true 客户出差").contains("back-dated");
    }

    @Test
    void the_case_page_records_non_cooperation_and_offers_waive_and_correct_to_a_lead_only() {
        String caseNo = hub.caseInScheme();
        WebFixture.Browser lihua = hub.new Browser().login("rep2");
        String page = lihua.get("/cases/" + caseNo).body();
        assertThat(page).contains("记录单位未按要求配合", "name=\"evidence\"", "type=\"datetime-local\" name=\"from\"", "最多前 3 个工作日");
        String token = WebFixture.csrf(page);
        lihua.form("/cases/" + caseNo + "/actions/non-cooperation", "unit=marketing&reason=" + WebFixture.form("<b>未按约定到场</b>")
                + "&evidence=" + WebFixture.form("电话记录") + "&mailId=&_csrf=" + token);
        page = lihua.get("/cases/" + caseNo).body();
        assertThat(page).contains("已完成", "考核记录", "未按要求配合", "&lt;b&gt;未按约定到场&lt;/b&gt;").doesNotContain("<b>未按约定到场");
        assertThat(page).as("not a lead: no waive or correct").doesNotContain("id=\"waive-").doesNotContain("id=\"correct-");

        WebFixture.Browser wangmin = hub.new Browser().login("rep");
        page = wangmin.get("/cases/" + caseNo).body();
        assertThat(page).contains("id=\"waive-", "id=\"correct-");
        long id = WebFixture.json(hub.get("/api/cases/" + caseNo + "/assessment", "viewer")).get("entries").get(0).get("id").asLong();
        wangmin.form("/cases/" + caseNo + "/actions/waive-entry", "entryId=" + id + "&reason=" + WebFixture.form("已核实为客户原因")
                + "&_csrf=" + WebFixture.csrf(page));
        page = wangmin.get("/cases/" + caseNo).body();
        assertThat(page).contains("已免除(0)", "已核实为客户原因").doesNotContain("id=\"waive-" + id + "\"");
        String month = WebFixture.json(hub.get("/api/cases/" + caseNo + "/assessment", "viewer")).get("entries").get(0)
                .get("dueAt").asText().substring(0, 7);
        String report = wangmin.get("/report?month=" + month).body();
        assertThat(report).contains("/cases/" + caseNo + "#assessment", "未按要求配合", "&lt;b&gt;未按约定到场&lt;/b&gt;");
    }

    private List<String> timelineKinds(String caseNo) {
        List<String> kinds = new ArrayList<>();
        WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("timeline").forEach(t -> kinds.add(t.get("kind").asText()));
        return kinds;
    }
}
