package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.connection.CachingConnectionFactory;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;

/**
 * The dead-letter view (issue 20 item 3) on the running hub and its broker: a billing event refused as
 * UNKNOWN_APPLICATION waits on yk.dlq with the queue it came from; after its application arrives, a representative's
 * replay sends it back and the hub applies it; every action is audited with the user, a second one is a conflict, a
 * viewer may look but not act, a discard needs a reason, and a hostile body is shown escaped.
 */
@HubTest
class DeadLetterViewTest extends WebTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void an_event_that_came_before_its_application_is_replayed_from_the_dead_letters_and_applied_once() throws Exception {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        app.put("submittedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now().withNano(0)));
        String applicationNo = app.get("applicationNo").asText();
        String messageId = UUID.randomUUID().toString();
        String event = "{\"type\":\"FeesSettled\",\"messageId\":\"" + messageId + "\",\"applicationNo\":\"" + applicationNo
                + "\",\"amount\":\"12800.00\",\"paidAt\":\"" + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now().withNano(0)) + "\"}";
        hub.billing.sendEvent(event);
        assertThat(hub.billing.awaitRejection(messageId, WebFixture.WAIT)).singleElement()
                .satisfies(m -> assertThat(m.get("errorCode").asText()).isEqualTo("UNKNOWN_APPLICATION"));

        JsonNode listed = awaitListed(messageId);
        String id = listed.get("id").asText();
        assertThat(id).startsWith("ID:");
        assertThat(listed.get("queue").asText()).isEqualTo("yk.billing.events");
        assertThat(listed.get("errorCode").asText()).isEqualTo("UNKNOWN_APPLICATION");
        assertThat(listed.get("type").asText()).isEqualTo("FeesSettled");
        assertThat(listed.get("applicationNo").asText()).isEqualTo(applicationNo);

        JsonNode one = WebFixture.json(hub.get("/api/dead-letters/" + id, "viewer"));
        assertThat(one.get("body").asText()).as("kept unchanged").isEqualTo(event);
        assertThat(one.get("properties").get("yk_error_code").asText()).isEqualTo("UNKNOWN_APPLICATION");
        assertThat(one.get("history")).isEmpty();

        assertThat(hub.post("/api/dead-letters/" + id + "/replay", "viewer", "{}").statusCode()).as("viewers only read").isEqualTo(403);

        String caseNo = hub.newCase("application-new-install.json", a -> a.setAll(app), 3);
        HttpResponse<String> replayed = hub.post("/api/dead-letters/" + id + "/replay", "rep", "{\"reason\":\"申请已到，补处理缴费\"}");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(WebFixture.json(replayed).get("queue").asText()).isEqualTo("yk.billing.events");
        await().atMost(WebFixture.WAIT).until(() -> jdbc.queryForObject("""
                select count(*) from case_timeline t join yk_case c on c.id = t.case_id
                where c.case_no = ? and t.summary like '%12800.00%'""", Integer.class, caseNo) == 1);

        HttpResponse<String> again = hub.post("/api/dead-letters/" + id + "/replay", "rep", "{}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(WebFixture.json(again).get("message").asText()).contains("REPLAY by rep");
        JsonNode after = WebFixture.json(hub.get("/api/dead-letters/" + id, "viewer"));
        assertThat(after.get("letter").isNull()).isTrue();
        assertThat(after.get("history")).singleElement().satisfies(e -> {
            assertThat(e.get("action").asText()).isEqualTo("REPLAY");
            assertThat(e.get("user").asText()).isEqualTo("rep");
            assertThat(e.get("reason").asText()).isEqualTo("申请已到，补处理缴费");
            assertThat(e.get("messageId").asText()).isEqualTo(messageId);
        });
        assertThat(listedIds(id)).doesNotContain(id);
        assertThat(hub.post("/api/dead-letters/ID:0000-unknown/replay", "rep", "{}").statusCode()).isEqualTo(404);
        assertThat(hub.post("/api/dead-letters/ID:x'OR'1'='1/discard", "rep", "{\"reason\":\"x\"}").statusCode())
                .as("an id that is no JMS id never reaches a selector").isEqualTo(404);
    }

    @Test
    void a_hostile_dead_letter_is_shown_escaped_needs_a_reason_to_be_discarded_and_is_discarded_from_the_dashboard() throws Exception {
        String marker = UUID.randomUUID().toString();
        // not JSON, never from a billing queue: put there as an operator's tool would (the hub's account)
        String body = "<script>alert('" + marker + "')</script>";
        String id;
        ConnectionFactory target = ((CachingConnectionFactory) connectionFactory).getTargetConnectionFactory();
        try (Connection c = target.createConnection(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createQueue("yk.dlq"))) {
            var m = s.createTextMessage(body);
            m.setStringProperty("yk_error_code", "MALFORMED_JSON");
            m.setStringProperty("yk_error_message", "<b>" + marker + "</b>");
            p.send(m);
            id = m.getJMSMessageID();
        }
        assertThat(listedIds(id)).containsExactly(id);

        WebFixture.Browser rep = hub.new Browser().login("rep");
        String page = rep.get("/dead-letters?q=" + id).body();
        assertThat(page).contains("id=\"nav-dead-letters\"", "/dead-letters/" + id, "&lt;b&gt;" + marker)
                .doesNotContain("<b>" + marker);
        String detail = rep.get("/dead-letters/" + id).body();
        assertThat(detail).contains("&lt;script&gt;alert(&#39;" + marker).doesNotContain("<script>alert(")
                .contains("id=\"discard\"").doesNotContain("id=\"replay\"");
        String english = rep.get("/dead-letters/" + id + "?lang=en").body();
        assertThat(english).contains("Dead letter", "unknown queue");
        rep.get("/dead-letters?lang=zh_CN");

        HttpResponse<String> noReason = hub.post("/api/dead-letters/" + id + "/discard", "rep", "{}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(WebFixture.json(noReason).get("field").asText()).isEqualTo("reason");
        assertThat(WebFixture.json(hub.post("/api/dead-letters/" + id + "/replay", "rep", "{}")).get("message").asText())
                .contains("unknown queue");
        WebFixture.Browser viewer = hub.new Browser().login("viewer");
        String viewerPage = viewer.get("/dead-letters/" + id).body();
        assertThat(viewerPage).contains("id=\"letter-body\"").doesNotContain("id=\"discard\"");
        assertThat(viewer.form("/dead-letters/" + id + "/discard", "reason=x&_csrf=" + WebFixture.csrf(viewerPage)).statusCode())
                .as("viewers read, representatives act").isEqualTo(403);
        assertThat(listedIds(id)).as("refusals change nothing").contains(id);

        HttpResponse<String> discarded = rep.form("/dead-letters/" + id + "/discard",
                "reason=" + WebFixture.form("测试报文，无需处理") + "&_csrf=" + WebFixture.csrf(detail));
        assertThat(discarded.statusCode()).isEqualTo(302);
        String after = rep.get("/dead-letters?q=" + id).body();
        assertThat(after).contains("id=\"done\"", "测试报文，无需处理").doesNotContain("/dead-letters/" + id + "\"");
        assertThat(listedIds(id)).doesNotContain(id);
        assertThat(jdbc.queryForObject("select user_name || ' ' || action from dead_letter_log where jms_id = ?", String.class, id))
                .isEqualTo("rep DISCARD");
    }

    @Test
    void a_mail_the_relay_gave_up_on_is_retried_by_a_representative_and_delivered() throws Exception {
        String caseNo = hub.caseInScheme();
        // a real hand-off mail of the case, delivered; its copy stands for one the server refused 8 times
        Map<String, Object> sent = await().atMost(WebFixture.WAIT).until(() -> jdbc.queryForList("""
                select o.case_id, o.group_key, o.headers, o.payload from outbox o join yk_case c on c.id = o.case_id
                where c.case_no = ? and o.channel = 'mail' and o.sent_at is not null order by o.id""", caseNo),
                rows -> !rows.isEmpty()).get(0);
        String messageId = "retry-" + UUID.randomUUID();
        jdbc.update("""
                insert into outbox (case_id, channel, message_id, group_key, headers, payload, created_at, attempts, last_error, dead_at)
                values (?, 'mail', ?, ?, ?, ?, current_timestamp, 8, '552 5.2.2 mailbox full', current_timestamp)""",
                sent.get("case_id"), messageId, sent.get("group_key"), sent.get("headers"), sent.get("payload"));
        long entry = jdbc.queryForObject("select id from outbox where message_id = ?", Long.class, messageId);

        JsonNode listed = null;
        for (JsonNode e : WebFixture.json(hub.get("/api/dead-letters/mails", "viewer"))) {
            if (e.get("id").asLong() == entry) {
                listed = e;
            }
        }
        assertThat(listed).as("listed").isNotNull();
        assertThat(listed.get("caseNo").asText()).isEqualTo(caseNo);
        assertThat(listed.get("lastError").asText()).contains("mailbox full");
        WebFixture.Browser rep = hub.new Browser().login("rep");
        String page = rep.get("/dead-letters").body();
        assertThat(page).contains("id=\"outbox-" + entry + "\"", "id=\"retry-" + entry + "\"", "552 5.2.2 mailbox full");
        assertThat(hub.post("/api/dead-letters/mails/" + entry + "/retry", "viewer", "{}").statusCode()).isEqualTo(403);

        HttpResponse<String> retried = rep.form("/dead-letters/mails/" + entry + "/retry",
                "reason=" + WebFixture.form("邮箱已清理") + "&_csrf=" + WebFixture.csrf(page));
        assertThat(retried.statusCode()).isEqualTo(302);
        await().atMost(WebFixture.WAIT).until(() -> jdbc.queryForObject(
                "select sent_at is not null from outbox where id = ?", Boolean.class, entry));
        assertThat(jdbc.queryForObject("select attempts from outbox where id = ?", Integer.class, entry))
                .as("counted from the first attempt again: the one that delivered it").isEqualTo(1);
        assertThat(hub.post("/api/dead-letters/mails/" + entry + "/retry", "rep", "{}").statusCode())
                .as("sent: nothing left to retry").isEqualTo(404);
        assertThat(jdbc.queryForObject("select user_name || ' ' || action || ' ' || reason from dead_letter_log where jms_id = ?",
                String.class, "outbox:" + entry)).isEqualTo("rep RETRY 邮箱已清理");
        assertThat(rep.get("/dead-letters").body()).doesNotContain("id=\"outbox-" + entry + "\"");
    }

    private JsonNode awaitListed(String messageId) {
        return await().atMost(WebFixture.WAIT).until(() -> {
            JsonNode letters = WebFixture.json(hub.get("/api/dead-letters?q=" + messageId, "viewer")).get("letters");
            return letters.isEmpty() ? null : letters.get(0);
        }, java.util.Objects::nonNull);
    }

    private java.util.List<String> listedIds(String id) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        WebFixture.json(hub.get("/api/dead-letters?q=" + id, "viewer")).get("letters").forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }
}
