package cn.yekuo.hub.web;

import cn.yekuo.hub.support.Replies;

import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.MARKETING;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.messageId;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.stage;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RepClient;

/**
 * The quarantine queue (issue 21 item 4) on the running hub with its embedded mail server: a quarantined reply
 * released from {@code /quarantine} advances its case and leaves the queue; attach and discard are audited with the
 * user; a refused action changes nothing; a second action is a conflict; hostile subjects are escaped; viewers read.
 */
@HubTest
class QuarantineQueueTest extends WebTestBase {

    static final String TECHNICAL = "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n产权分界点：#23杆刀闸下桩头\n" + Replies.TECHNICAL_DETAILS;
    static final String BUSINESS = "结论：同意\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：否\n业务费用：12800.00\n" + Replies.BUSINESS_DETAILS;

    final MailClient mail = MailClient.ofTestHub();

    @Autowired
    JdbcTemplate jdbc;

    String caseNo;
    MimeMessage t1;
    MimeMessage t2;

    @BeforeEach
    void newCase() {
        caseNo = MailFixtures.newCase(hub.billing, jdbc)[1];
        t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
        t2 = awaitHandoff(mail, MARKETING, caseNo, 2);
    }

    @Test
    void a_quarantined_reply_released_from_the_dashboard_advances_its_case_leaves_the_queue_and_a_second_release_is_a_conflict() {
        mail.send(MARKETING, reply(mail, t2, MARKETING, BUSINESS));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 2)));
        MimeMessage wrongSender = reply(mail, t1, MARKETING, TECHNICAL); // marketing answers production's task
        long id = MailFixtures.quarantined(mail, jdbc, MARKETING, wrongSender, RejectionCode.SENDER_NOT_ALLOWED);
        assertThat(stage(jdbc, caseNo)).isEqualTo("SCHEME");

        WebFixture.Browser rep = hub.new Browser().login("rep");
        String page = rep.get("/quarantine").body();
        String row = row(page, id);
        assertThat(row).contains("发件人不在该单位的许可名单中", "href=\"/cases/" + caseNo + "\"", "T1", MARKETING,
                "依据：主题中的任务编号", "id=\"release-" + id + "\"");
        assertThat(page).contains("id=\"nav-quarantine\"");
        String english = rep.get("/quarantine?lang=en").body();
        assertThat(row(english, id)).contains("Sender not on the unit&#39;s allow-list", "by the task token in the subject");
        rep.get("/quarantine?lang=zh_CN");

        double processedBefore = productionRepliesProcessed();
        HttpResponse<String> released = rep.form("/quarantine/" + id + "/release", "_csrf=" + WebFixture.csrf(page));
        assertThat(released.statusCode()).isEqualTo(302);
        await().atMost(WAIT).untilAsserted(() -> assertThat(productionRepliesProcessed())
                .as("a released reply counts as production's reply processed").isEqualTo(processedBefore + 1));
        assertThat(released.headers().firstValue("Location").orElse("")).endsWith("/quarantine");
        String after = rep.get("/quarantine").body();
        assertThat(after).contains("id=\"done\"").doesNotContain("id=\"mail-" + id + "\"");

        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("CLOSED");
        assertThat(stage(jdbc, caseNo)).as("both scheme tasks answered: the case moves on").isNotEqualTo("SCHEME");
        assertThat(jdbc.queryForMap("select outcome, folder from unit_mail where id = ?", id))
                .containsEntry("OUTCOME", "RELEASED").containsEntry("FOLDER", "Processed");
        assertThat(timeline(caseNo, "REPLY_RELEASED")).singleElement().asString().contains("released by rep");
        assertThat(log(id)).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("ACTION", "RELEASE").containsEntry("USER_NAME", "rep").containsEntry("CASE_NO", caseNo);
        });
        String messageId = messageId(wrongSender);
        mail.await(HUB, "Processed", MailClient.messageId(messageId), WAIT);
        assertThat(mail.messages(HUB, "Quarantine", MailClient.messageId(messageId))).isEmpty();
        assertThat(api("rep").json("/api/quarantine").findValues("id").stream().map(JsonNode::asLong))
                .as("the API's list no longer has it").doesNotContain(id);

        HttpResponse<String> again = api("rep").post("/api/quarantine/" + id + "/release", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(again).get("code").asText()).isEqualTo("CONFLICT");
        assertThat(again.body()).contains("already released");
        HttpResponse<String> twiceOnPage = rep.form("/quarantine/" + id + "/release", "_csrf=" + WebFixture.csrf(after));
        assertThat(twiceOnPage.statusCode()).isEqualTo(302);
        assertThat(rep.get("/quarantine").body()).contains("id=\"failed\"", "already released");
        assertThat(log(id)).hasSize(1);
    }

    @Test
    void a_mail_is_attached_to_a_case_as_correspondence_and_another_discarded_each_audited_with_the_user() {
        MimeMessage note = reply(mail, t1, PRODUCTION, "附件为东园线线路走向说明，供参考。");
        long attachedId = MailFixtures.quarantined(mail, jdbc, PRODUCTION, note, RejectionCode.UNKNOWN_RESULT, RejectionCode.EMPTY_BODY,
                RejectionCode.MISSING_FIELD);
        String other = MailFixtures.newCase(hub.billing, jdbc)[1];

        RepClient rep = api("rep");
        HttpResponse<String> unknownCase = rep.post("/api/quarantine/" + attachedId + "/attach", "{\"caseNo\":\"YK-1999-999999\"}");
        assertThat(unknownCase.statusCode()).isEqualTo(400);
        assertThat(WebFixture.json(unknownCase).get("field").asText()).isEqualTo("caseNo");
        assertThat(rep.post("/api/quarantine/" + attachedId + "/attach", "{\"caseNo\":\"no case\"}").statusCode()).isEqualTo(400);
        assertThat(outcome(attachedId)).isEqualTo("QUARANTINED");

        WebFixture.Browser browser = hub.new Browser().login("rep");
        String queue = browser.get("/quarantine").body();
        assertThat(row(queue, attachedId)).as("no release offered: the reply's content would refuse it again")
                .doesNotContain("release-" + attachedId).contains("attach-" + attachedId, "discard-" + attachedId);
        String token = WebFixture.csrf(queue);
        HttpResponse<String> attached = browser.form("/quarantine/" + attachedId + "/attach",
                "caseNo=" + other + "&note=" + WebFixture.form("生产技术部补充的线路说明") + "&_csrf=" + token);
        assertThat(attached.statusCode()).isEqualTo(302);
        assertThat(browser.get("/quarantine").body()).contains("id=\"done\"").doesNotContain("id=\"mail-" + attachedId + "\"");
        assertThat(jdbc.queryForMap("select outcome, case_no, folder from unit_mail where id = ?", attachedId))
                .containsEntry("OUTCOME", "ATTACHED").containsEntry("CASE_NO", other).containsEntry("FOLDER", "Processed");
        assertThat(timeline(other, "MAIL_ATTACHED")).singleElement().asString().contains("rep", "生产技术部补充的线路说明");
        assertThat(log(attachedId)).singleElement().satisfies(e -> assertThat(e).containsEntry("ACTION", "ATTACH")
                .containsEntry("USER_NAME", "rep").containsEntry("CASE_NO", other).containsEntry("REASON", "生产技术部补充的线路说明"));
        String casePage = browser.get("/cases/" + other).body();
        assertThat(casePage).contains("ATTACHED", "#" + attachedId, "作为往来函件归入本案");
        mail.await(HUB, "Processed", MailClient.messageId(messageId(note)), WAIT);

        HttpResponse<String> discardAttached = rep.post("/api/quarantine/" + attachedId + "/discard", "{\"reason\":\"重复\"}");
        assertThat(discardAttached.statusCode()).isEqualTo(409);
        assertThat(discardAttached.body()).contains("no longer in quarantine", "already attached by rep");

        MimeMessage junk = reply(mail, t2, MARKETING, BUSINESS.replace("业务费用：12800.00\n", ""));
        long discardedId = MailFixtures.quarantined(mail, jdbc, MARKETING, junk, RejectionCode.MISSING_FIELD);
        HttpResponse<String> noReason = rep.post("/api/quarantine/" + discardedId + "/discard", "{\"reason\":\"  \"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(WebFixture.json(noReason).get("field").asText()).isEqualTo("reason");
        HttpResponse<String> noReasonOnPage = browser.form("/quarantine/" + discardedId + "/discard", "reason=&_csrf=" + token);
        assertThat(noReasonOnPage.statusCode()).isEqualTo(302);
        assertThat(browser.get("/quarantine").body()).contains("id=\"failed\"", "reason: is required", "id=\"mail-" + discardedId + "\"");
        assertThat(outcome(discardedId)).as("a refused action changes nothing").isEqualTo("QUARANTINED");
        assertThat(log(discardedId)).isEmpty();
        assertThat(timeline(caseNo, "MAIL_DISCARDED")).isEmpty();

        // two representatives at once: one discards, the other is told it is gone
        List<HttpResponse<String>> both = Stream.of("rep", "rep")
                .map(u -> CompletableFuture.supplyAsync(() -> api(u).post("/api/quarantine/" + discardedId + "/discard",
                        "{\"reason\":\"单位已另行重发完整答复\"}")))
                .toList().stream().map(CompletableFuture::join).toList();
        assertThat(both.stream().map(HttpResponse::statusCode).sorted()).containsExactly(200, 409);
        assertThat(jdbc.queryForMap("select outcome, folder from unit_mail where id = ?", discardedId))
                .containsEntry("OUTCOME", "DISCARDED").containsEntry("FOLDER", "Discarded");
        assertThat(log(discardedId)).singleElement().satisfies(e -> assertThat(e).containsEntry("ACTION", "DISCARD")
                .containsEntry("USER_NAME", "rep").containsEntry("REASON", "单位已另行重发完整答复"));
        assertThat(timeline(caseNo, "MAIL_DISCARDED")).singleElement().asString().contains("rep", "单位已另行重发完整答复");
        String id = messageId(junk);
        mail.await(HUB, "Discarded", MailClient.messageId(id), WAIT);
        assertThat(mail.messages(HUB, "Quarantine", MailClient.messageId(id))).as("kept, not in Quarantine").isEmpty();
        assertThat(taskStatus(jdbc, caseNo, 2)).isEqualTo("OPEN");
    }

    @Test
    void a_hostile_subject_is_escaped_its_case_is_found_by_the_hand_off_it_answers_and_a_viewer_cannot_act() throws Exception {
        MimeMessage hostile = mail.textMail(PRODUCTION, HUB, "<script>alert('x')</script><img src=x onerror=alert(1)> 回复",
                "见附件");
        hostile.setHeader("In-Reply-To", messageId(t1));
        hostile.saveChanges();
        long id = MailFixtures.quarantined(mail, jdbc, PRODUCTION, hostile, RejectionCode.NO_TOKEN);

        WebFixture.Browser viewer = hub.new Browser().login("viewer");
        HttpResponse<String> page = viewer.get("/quarantine");
        assertThat(page.statusCode()).isEqualTo(200);
        String row = row(page.body(), id);
        assertThat(row).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")
                .doesNotContain("<script>").doesNotContain("<img")
                .contains("主题中没有任务编号", "href=\"/cases/" + caseNo + "\"", "依据：回复的派单邮件")
                .as("viewers see no action").doesNotContain("<form");
        String token = WebFixture.csrf(page.body()); // the logout form's
        assertThat(viewer.form("/quarantine/" + id + "/discard", "reason=x&_csrf=" + token).statusCode()).isEqualTo(403);
        assertThat(api("viewer").post("/api/quarantine/" + id + "/discard", "{\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(api("viewer").post("/api/quarantine/" + id + "/release", "").statusCode()).isEqualTo(403);
        assertThat(outcome(id)).isEqualTo("QUARANTINED");
        assertThat(log(id)).isEmpty();

        JsonNode listed = null;
        for (JsonNode item : api("viewer").json("/api/quarantine").get("items")) {
            if (item.get("id").asLong() == id) {
                listed = item;
            }
        }
        assertThat(listed).as("the API lists it").isNotNull();
        assertThat(listed.get("subject").asText()).startsWith("<script>");
        assertThat(listed.get("caseNo").asText()).isEqualTo(caseNo);
        assertThat(listed.get("caseBasis").asText()).isEqualTo("IN_REPLY_TO");
        assertThat(listed.get("releasable").asBoolean()).isFalse();
        assertThat(listed.get("reasons").get(0).get("code").asText()).isEqualTo("NO_TOKEN");

        HttpResponse<String> notAReply = api("rep").post("/api/quarantine/" + id + "/release", "");
        assertThat(notAReply.statusCode()).isEqualTo(409);
        assertThat(notAReply.body()).contains("not a reply the hub can check");
        assertThat(api("rep").post("/api/quarantine/999999999/discard", "{\"reason\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(outcome(id)).isEqualTo("QUARANTINED");
    }

    // ------------------------------------------------------------------

    /** Sends the mail, waits until it is quarantined (for these codes) and lies in Quarantine; returns its unit_mail id. */

    private static String row(String page, long id) {
        int start = page.indexOf("<tr id=\"mail-" + id + "\"");
        assertThat(start).as("mail " + id + " is on the page").isGreaterThanOrEqualTo(0);
        return page.substring(start, page.indexOf("</tr>", start));
    }

    private RepClient api(String user) {
        return new RepClient(port, user, user);
    }

    private String outcome(long id) {
        return jdbc.queryForObject("select outcome from unit_mail where id = ?", String.class, id);
    }

    private List<Map<String, Object>> log(long id) {
        return jdbc.queryForList("select action, user_name, case_no, reason from quarantine_log where mail_id = ? order by id", id);
    }

    private List<String> timeline(String caseNo, String kind) {
        return jdbc.queryForList("select t.summary from case_timeline t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.kind = ?", String.class, caseNo, kind);
    }

    /** yk_replies_processed_total{unit="production"} as the hub exports it. */
    private double productionRepliesProcessed() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^yk_replies_processed_total\\{unit=\"production\"} (\\S+)$")
                .matcher(hub.get("/actuator/prometheus", "viewer").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
