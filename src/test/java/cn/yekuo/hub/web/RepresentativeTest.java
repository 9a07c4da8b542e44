package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.deadlines.DeadlineMails;
import cn.yekuo.hub.deadlines.DeadlineNotice;
import cn.yekuo.hub.documents.PdfInspection;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;

/**
 * Issue 17 item 1 (一口对外): a new case gets its station's representative, who is in the API, on its documents and
 * in its notices' recipients; a representative reassigns with a reason, recorded on the timeline.
 */
@HubTest
class RepresentativeTest extends WebTestBase {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DeadlineMails deadlineMails;
    @Autowired
    TransactionTemplate tx;

    /** A case of the xijiao station, which only 李华 (lihua) covers in the embedded default roster. */
    private String xijiaoCase() {
        return hub.caseInScheme(app -> ((ObjectNode) app.get("site")).put("supplyStation", "xijiao"));
    }

    @Test
    void a_new_case_gets_the_station_s_representative_shown_by_the_api_and_printed_on_its_documents() {
        String caseNo = xijiaoCase();

        JsonNode c = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(c.get("supplyStation").asText()).isEqualTo("xijiao");
        JsonNode rep = c.get("representative");
        assertThat(rep.get("id").asText()).isEqualTo("lihua");
        assertThat(rep.get("name").asText()).isEqualTo("李华");
        assertThat(rep.get("phone").asText()).isEqualTo("0571-86000001");
        assertThat(rep.get("email").asText()).isEqualTo("rep2@yekuo.local");
        assertThat(timeline(c)).anySatisfy(t -> {
            assertThat(t.get("kind").asText()).isEqualTo("REPRESENTATIVE_ASSIGNED");
            assertThat(t.get("actor").asText()).isEqualTo("SYSTEM");
            assertThat(t.get("summary").asText()).contains("李华", "lihua");
        });

        // the contact card is issued right after the intake commits
        JsonNode card = await().atMost(WebFixture.WAIT).until(
                () -> WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("documents"), d -> d.size() > 0).get(0);
        HttpResponse<byte[]> pdf = hub.http.sendAsync(hub.request("/api/cases/" + caseNo + "/documents/" + card.get("id").asText(), "viewer")
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray()).join();
        assertThat(pdf.statusCode()).isEqualTo(200);
        String text = PdfInspection.compactText(pdf.body());
        assertThat(text).contains(caseNo, "业扩服务联系卡", "李华", "0571-86000001", "rep2@yekuo.local").doesNotContain("王敏");
    }

    @Test
    void a_station_s_case_notice_reaches_the_case_s_representative_not_the_shared_mailbox() {
        String caseNo = xijiaoCase();
        long caseId = jdbc.queryForObject("select id from yk_case where case_no = ?", Long.class, caseNo);
        long nodeId = jdbc.queryForObject("select id from case_node where case_id = ? and node = 'SCHEME_REPLY'", Long.class, caseId);
        OffsetDateTime due = jdbc.queryForObject("select due_at from case_node where id = ?", OffsetDateTime.class, nodeId);
        DeadlineNotice warning = new DeadlineNotice(caseNo, caseId, nodeId, Node.SCHEME_REPLY, List.of("production", "marketing"),
                due, due.minusDays(1), 0);
        tx.executeWithoutResult(s -> deadlineMails.warning(warning));

        MailClient mail = MailClient.ofTestHub();
        var notice = mail.await(MailFixtures.REP2, "INBOX", MailClient.subjectContains("Deadline warning：" + caseNo), MailFixtures.WAIT);
        assertThat(MailClient.textOf(notice)).contains(caseNo, "供电方案答复");
        cn.yekuo.hub.support.Outboxes.awaitNothingPending(jdbc, caseNo, MailFixtures.WAIT);
        assertThat(mail.messages(MailFixtures.REPS, "INBOX", MailClient.subjectContains(caseNo))).as("shared mailbox").isEmpty();
        assertThat(mail.messages(MailFixtures.REP, "INBOX", MailClient.subjectContains(caseNo))).as("another representative").isEmpty();
    }

    @Test
    void a_representative_reassigns_with_a_reason_on_the_timeline_and_a_refusal_changes_nothing() {
        String caseNo = xijiaoCase();

        HttpResponse<String> noReason = hub.action(caseNo, "reassign", "rep", "{\"representative\":\"wangmin\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(WebFixture.json(noReason).get("field").asText()).isEqualTo("reason");
        HttpResponse<String> unknown = hub.action(caseNo, "reassign", "rep", "{\"representative\":\"nobody\",\"reason\":\"休假\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(WebFixture.json(unknown).get("field").asText()).isEqualTo("representative");
        assertThat(hub.action(caseNo, "reassign", "viewer", "{\"representative\":\"wangmin\",\"reason\":\"休假\"}").statusCode())
                .as("viewers do not act").isEqualTo(403);
        JsonNode unchanged = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(unchanged.get("representative").get("id").asText()).isEqualTo("lihua");
        assertThat(timeline(unchanged)).noneMatch(t -> t.get("kind").asText().equals("REPRESENTATIVE_REASSIGNED"));

        HttpResponse<String> ok = hub.action(caseNo, "reassign", "rep2", "{\"representative\":\"wangmin\",\"reason\":\"李华休假，王敏代办\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(WebFixture.json(ok).get("action").asText()).isEqualTo("reassign");

        JsonNode c = WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer"));
        assertThat(c.get("representative").get("id").asText()).isEqualTo("wangmin");
        assertThat(c.get("representative").get("name").asText()).isEqualTo("王敏");
        assertThat(timeline(c)).filteredOn(t -> t.get("kind").asText().equals("REPRESENTATIVE_REASSIGNED")).singleElement()
                .satisfies(t -> {
                    assertThat(t.get("actor").asText()).as("the login that acted").isEqualTo("rep2");
                    assertThat(t.get("summary").asText()).contains("李华", "lihua", "王敏", "wangmin");
                    assertThat(t.get("details").asText()).isEqualTo("李华休假，王敏代办");
                });
        assertThat(hub.action(caseNo, "reassign", "rep", "{\"representative\":\"wangmin\",\"reason\":\"again\"}").statusCode())
                .as("already the case's").isEqualTo(409);
    }

    @Test
    void the_case_page_shows_the_representative_and_reassigns_through_its_form_with_csrf() {
        String caseNo = xijiaoCase();
        WebFixture.Browser browser = hub.new Browser().login("rep");
        String page = browser.get("/cases/" + caseNo).body();
        assertThat(page).contains("id=\"representative\"", "李华", "rep2@yekuo.local", "act-reassign", "name=\"representative\"");

        HttpResponse<String> done = browser.form("/cases/" + caseNo + "/actions/reassign",
                "representative=wangmin&reason=" + WebFixture.form("客户在东郊办理") + "&_csrf=" + WebFixture.csrf(page));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(WebFixture.json(hub.get("/api/cases/" + caseNo, "viewer")).get("representative").get("id").asText())
                .isEqualTo("wangmin");
        assertThat(browser.form("/cases/" + caseNo + "/actions/reassign", "representative=lihua&reason=x").statusCode())
                .as("no CSRF token").isEqualTo(403);
    }

    private static List<JsonNode> timeline(JsonNode c) {
        List<JsonNode> entries = new ArrayList<>();
        c.get("timeline").forEach(entries::add);
        return entries;
    }
}
