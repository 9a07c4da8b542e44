package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.support.HubTest;

/** docs/contract.md §4 over HTTP: list and filters, detail, every representative action (happy path and a refusal), 400s. */
@HubTest
class CaseApiTest extends WebTestBase {

    // ------------------------------------------------------------------ reading

    @Test
    void the_list_filters_by_text_stage_and_overdue_and_pages() {
        String name = "列表测试客户-" + UUID.randomUUID().toString().substring(0, 8);
        String caseNo = hub.caseInScheme(app -> ((ObjectNode) app.get("customer")).put("name", name));
        JsonNode byName = WebFixture.json(hub.get("/api/cases?q=" + WebFixture.form(name.toUpperCase()), "viewer"));
        assertThat(byName.get("total").asInt()).isEqualTo(1);
        JsonNode item = byName.get("items").get(0);
        assertThat(item.get("caseNo").asText()).isEqualTo(caseNo);
        assertThat(item.get("stage").asText()).isEqualTo("SCHEME");
        assertThat(item.get("node").asText()).isEqualTo("SCHEME_REPLY");
        assertThat(item.get("dueStatus").asText()).isEqualTo("ON_TIME");
        assertThat(item.get("dueAt").asText()).endsWith("+08:00");
        assertThat(texts(item.get("waitsOn"))).containsExactly("production", "marketing");

        assertThat(WebFixture.json(hub.get("/api/cases?q=" + caseNo, "viewer")).get("total").asInt()).isEqualTo(1);
        String applicationNo = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("applicationNo").asText();
        assertThat(WebFixture.json(hub.get("/api/cases?q=" + applicationNo, "viewer")).get("items").get(0).get("caseNo").asText())
                .isEqualTo(caseNo);
        assertThat(WebFixture.json(hub.get("/api/cases?q=%25_%25", "viewer")).get("total").asInt())
                .as("LIKE wildcards are matched literally").isZero();

        JsonNode scheme = WebFixture.json(hub.get("/api/cases?stage=SCHEME&size=1", "viewer"));
        assertThat(scheme.get("size").asInt()).isEqualTo(1);
        assertThat(scheme.get("items")).hasSize(1);
        assertThat(scheme.get("total").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(WebFixture.json(hub.get("/api/cases?stage=WITHDRAWN&q=" + caseNo, "viewer")).get("total").asInt()).isZero();
        assertThat(WebFixture.json(hub.get("/api/cases?overdue=true&q=" + caseNo, "viewer")).get("total").asInt())
                .as("a fresh case is not overdue").isZero();
    }

    @Test
    void the_detail_has_stage_node_tasks_timeline_documents_and_mails() {
        String caseNo = hub.caseInScheme();
        JsonNode c = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(c.get("stage").asText()).isEqualTo("SCHEME");
        assertThat(c.get("customer").get("name").asText()).isEqualTo("杭州东郊新材料有限公司");
        assertThat(c.get("currentNode").get("node").asText()).isEqualTo("SCHEME_REPLY");
        assertThat(c.get("dueAt").asText()).isEqualTo(c.get("currentNode").get("dueAt").asText()).isNotBlank();
        assertThat(c.get("tasks")).hasSize(2);
        assertThat(c.get("tasks").get(0).get("token").asText()).isEqualTo("T1");
        assertThat(c.get("tasks").get(0).get("kind").asText()).isEqualTo("SCHEME_TECHNICAL");
        assertThat(c.get("tasks").get(0).get("status").asText()).isEqualTo("OPEN");
        assertThat(c.get("tasks").get(0).get("dueAt").asText()).isEqualTo(c.get("dueAt").asText());
        List<String> kinds = new ArrayList<>();
        c.get("timeline").forEach(t -> kinds.add(t.get("kind").asText()));
        assertThat(kinds).contains("STAGE_CHANGED");
        assertThat(c.get("documents").isArray()).isTrue();
        assertThat(c.get("mails").isArray()).isTrue();
    }

    @Test
    void unknown_cases_and_documents_are_404() {
        HttpResponse<String> r = hub.get("/api/cases/YK-1999-999999", "viewer");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(WebFixture.json(r).get("message").asText()).contains("YK-1999-999999");
        assertThat(hub.action("YK-1999-999999", "resume", "rep", null).statusCode()).isEqualTo(404);
        String caseNo = hub.caseInScheme();
        assertThat(hub.get("/api/cases/" + caseNo + "/documents/1", "viewer").statusCode()).isEqualTo(404);
        assertThat(hub.action(caseNo, "teleport", "rep", null).statusCode()).isEqualTo(404);
    }

    @Test
    void invalid_query_parameters_are_400_naming_the_field() {
        assertField(hub.get("/api/cases?stage=NOWHERE", "viewer"), "stage");
        assertField(hub.get("/api/cases?size=0", "viewer"), "size");
        assertField(hub.get("/api/cases?size=1000", "viewer"), "size");
        assertField(hub.get("/api/cases?page=-1", "viewer"), "page");
        assertField(hub.get("/api/cases?page=x", "viewer"), "page");
        assertField(hub.get("/api/cases?overdue=maybe", "viewer"), "overdue");
        assertField(hub.get("/api/cases?q=" + "x".repeat(101), "viewer"), "q");
        assertField(hub.get("/api/reports/assessment?month=2026-13", "viewer"), "month");
        assertField(hub.get("/api/reports/assessment", "viewer"), "month");
    }

    // ------------------------------------------------------------------ actions

    @Test
    void confirm_materials_moves_a_waiting_case_to_scheme_and_is_refused_afterwards() {
        String caseNo = hub.caseAwaitingMaterials();
        assertThat(stage(caseNo)).isEqualTo("AWAITING_MATERIALS");
        HttpResponse<String> ok = hub.action(caseNo, "confirm-materials", "rep", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(WebFixture.json(ok).get("stage").asText()).isEqualTo("SCHEME");
        assertThat(timelineKinds(caseNo)).contains("MATERIALS_CONFIRMED");

        HttpResponse<String> again = hub.action(caseNo, "confirm-materials", "rep", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(again).get("message").asText()).contains("confirm materials");
    }

    @Test
    void a_representatives_action_is_recorded_under_the_login_that_acted() {
        String caseNo = hub.caseInScheme();
        assertThat(hub.action(caseNo, "pause", "rep", "{\"reason\":\"客户要求暂缓\"}").statusCode()).isEqualTo(200);
        WebFixture.toContract(process, caseNo); // the pause becomes the contract wait
        assertThat(hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":\"HT-2026-0777\"}").statusCode()).isEqualTo(200);
        List<String> actors = new java.util.ArrayList<>();
        WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("timeline").forEach(t -> actors.add(t.get("actor").asText()));
        assertThat(actors).as("the pause (a stage message) and the contract (a timeline entry) name the user")
                .filteredOn("rep"::equals).hasSizeGreaterThanOrEqualTo(2);
        assertThat(actors).doesNotContain("REPRESENTATIVE");
    }

    @Test
    void record_contract_signed_needs_a_contract_number_and_is_recorded_once() {
        String caseNo = WebFixture.toContract(process, hub.caseInScheme());
        assertField(hub.action(caseNo, "record-contract-signed", "rep", "{}"), "contractNo");
        assertField(hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":\"   \"}"), "contractNo");
        assertField(hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":12}"), "contractNo");
        assertField(hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":\"" + "9".repeat(65) + "\"}"), "contractNo");
        assertThat(hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":\"HT-2026-0042\"}").statusCode()).isEqualTo(200);
        assertThat(timelineSummaries(caseNo)).anySatisfy(s -> assertThat(s).contains("HT-2026-0042"));
        HttpResponse<String> again = hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":\"HT-2026-0042\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(again).get("code").asText()).isEqualTo("ALREADY_DONE");
    }

    @Test
    void record_contract_signed_before_the_acceptance_has_passed_is_refused_as_invalid_state() {
        String caseNo = WebFixture.toConstruction(process, hub.caseInScheme());

        HttpResponse<String> early = hub.action(caseNo, "record-contract-signed", "rep", "{\"contractNo\":\"HT-2026-0043\"}");

        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(early).get("code").asText()).isEqualTo("INVALID_STATE");
        assertThat(WebFixture.json(early).get("message").asText()).contains("only in CONTRACT", "CONSTRUCTION");
        assertThat(timelineSummaries(caseNo)).noneSatisfy(s -> assertThat(s).contains("HT-2026-0043"));
    }

    @Test
    void request_inspection_and_acceptance_in_construction_refused_elsewhere() {
        String inScheme = hub.caseInScheme();
        HttpResponse<String> early = hub.action(inScheme, "request-inspection", "rep", null);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(early).get("message").asText()).contains("CONSTRUCTION");
        assertThat(hub.action(inScheme, "request-acceptance", "rep", null).statusCode()).isEqualTo(409);

        String caseNo = WebFixture.toConstruction(process, hub.caseInScheme());
        assertThat(stage(caseNo)).isEqualTo("CONSTRUCTION");
        assertThat(hub.action(caseNo, "request-inspection", "rep", null).statusCode()).isEqualTo(200);
        JsonNode c = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(c.get("currentNode").get("node").asText()).isEqualTo("MID_INSPECTION");
        HttpResponse<String> twice = hub.action(caseNo, "request-inspection", "rep", null);
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(twice).get("code").asText()).isEqualTo("INSPECTION_OPEN");

        WebFixture.complete(process, caseNo, 6, TaskResult.APPROVED, java.util.Map.of());
        HttpResponse<String> accept = hub.action(caseNo, "request-acceptance", "rep", null);
        assertThat(accept.statusCode()).isEqualTo(200);
        assertThat(WebFixture.json(accept).get("stage").asText()).isEqualTo("ACCEPTANCE");
        assertThat(timelineKinds(caseNo)).contains("INSPECTION_REQUESTED", "ACCEPTANCE_REQUESTED");
    }

    @Test
    void pause_and_resume_for_a_customer_reason() {
        String caseNo = hub.caseInScheme();
        assertField(hub.action(caseNo, "pause", "rep", null), "reason");
        assertField(hub.action(caseNo, "pause", "rep", "{\"reason\":\"" + "长".repeat(501) + "\"}"), "reason");
        HttpResponse<String> notWaiting = hub.action(caseNo, "resume", "rep", null);
        assertThat(notWaiting.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(notWaiting).get("code").asText()).isEqualTo("NOT_WAITING");

        assertThat(hub.action(caseNo, "pause", "rep", "{\"reason\":\"客户厂房未完工，申请暂缓\"}").statusCode()).isEqualTo(200);
        JsonNode paused = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(paused.get("waitingForCustomer").get("reason").asText()).isEqualTo("客户厂房未完工，申请暂缓");
        assertThat(paused.get("waitsOn").get(0).asText()).isEqualTo("customer");
        assertThat(paused.get("currentNode").get("dueStatus").asText()).isEqualTo("PAUSED");
        assertThat(hub.action(caseNo, "pause", "rep", "{\"reason\":\"again\"}").statusCode()).isEqualTo(409);

        assertThat(hub.action(caseNo, "resume", "rep", null).statusCode()).isEqualTo(200);
        JsonNode resumed = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(resumed.get("waitingForCustomer").isNull()).isTrue();
        assertThat(resumed.get("currentNode").get("dueStatus").asText()).isEqualTo("ON_TIME");
    }

    @Test
    void withdraw_with_a_reason_ends_the_case() {
        String caseNo = hub.caseInScheme();
        assertField(hub.action(caseNo, "withdraw", "rep", "{\"reason\":\"\"}"), "reason");
        assertField(hub.action(caseNo, "withdraw", "rep", "{\"reason\":\"a\\u0000b\"}"), "reason");
        HttpResponse<String> ok = hub.action(caseNo, "withdraw", "rep", "{\"reason\":\"客户撤回申请\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(WebFixture.json(ok).get("stage").asText()).isEqualTo("WITHDRAWN");
        HttpResponse<String> after = hub.action(caseNo, "withdraw", "rep", "{\"reason\":\"again\"}");
        assertThat(after.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(after).get("message").asText()).contains("WITHDRAWN");
    }

    @Test
    void resend_document_and_release_reply_validate_their_ids_and_answer_404_for_a_document_or_mail_not_of_the_case() {
        String caseNo = hub.caseInScheme();
        assertField(hub.action(caseNo, "resend-document", "rep", "{}"), "documentId");
        assertField(hub.action(caseNo, "resend-document", "rep", "{\"documentId\":\"abc\"}"), "documentId");
        assertField(hub.action(caseNo, "release-reply", "rep", "{\"mailId\":0}"), "mailId");
        HttpResponse<String> resend = hub.action(caseNo, "resend-document", "rep", "{\"documentId\":999999999}");
        assertThat(resend.statusCode()).isEqualTo(404);
        assertThat(WebFixture.json(resend).get("message").asText()).contains("does not belong to case " + caseNo);
        HttpResponse<String> release = hub.action(caseNo, "release-reply", "rep", "{\"mailId\":999999999}");
        assertThat(release.statusCode()).isEqualTo(404);
        assertThat(WebFixture.json(release).get("message").asText()).contains("not a mail of case " + caseNo);
        assertThat(hub.action(caseNo, "resend-document", "viewer", "{\"documentId\":1}").statusCode()).isEqualTo(403);
    }

    @Test
    void a_body_that_is_not_a_json_object_is_400() {
        String caseNo = hub.caseInScheme();
        assertField(hub.action(caseNo, "pause", "rep", "{\"reason\":"), "body");
        assertField(hub.action(caseNo, "pause", "rep", "[1,2]"), "body");
    }

    // ------------------------------------------------------------------ report

    @Test
    void the_assessment_report_as_json_and_csv() {
        String caseNo = hub.caseInScheme();
        String month = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("dueAt").asText().substring(0, 7);
        JsonNode r = WebFixture.json(hub.get("/api/reports/assessment?month=" + month, "viewer"));
        assertThat(r.get("month").asText()).isEqualTo(month);
        List<String> units = new ArrayList<>();
        r.get("units").forEach(u -> units.add(u.get("unit").asText()));
        assertThat(units).contains("production", "marketing", "construction", "customer-center");
        JsonNode production = r.get("units").get(units.indexOf("production"));
        assertThat(production.get("due").asInt()).as("the scheme reply falls due that month").isPositive();
        assertThat(r.get("entries").isArray()).isTrue();

        HttpResponse<String> csv = hub.get("/api/reports/assessment?month=" + month, "viewer", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.body()).startsWith("\uFEFFsection,key,name,completed,on_time,on_time_rate,overruns,deduction");

        HttpResponse<String> pdf = hub.get("/api/reports/assessment?month=" + month, "viewer", "application/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pdf");
        assertThat(pdf.body()).startsWith("%PDF");
    }

    // ------------------------------------------------------------------ helpers

    private String stage(String caseNo) {
        return WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("stage").asText();
    }

    private List<String> timelineKinds(String caseNo) {
        List<String> kinds = new ArrayList<>();
        WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("timeline").forEach(t -> kinds.add(t.get("kind").asText()));
        return kinds;
    }

    private List<String> timelineSummaries(String caseNo) {
        List<String> s = new ArrayList<>();
        WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("timeline").forEach(t -> s.add(t.get("summary").asText()));
        return s;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void assertField(HttpResponse<String> r, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = WebFixture.json(r);
        assertThat(body.get("field").asText()).isEqualTo(field);
        assertThat(body.get("message").asText()).startsWith(field + ":");
    }
}
