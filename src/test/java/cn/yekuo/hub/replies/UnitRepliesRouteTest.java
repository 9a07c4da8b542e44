package cn.yekuo.hub.replies;

import cn.yekuo.hub.quarantine.UnitMailQuarantineTest;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.messageId;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mail.MailMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.TestPorts;

/**
 * The {@code unit-replies} route on its own (routes/unit-replies.yaml), followed mail by mail with Camel's
 * notifications on the real IMAP server: a unit's reply is read, handed to the replies bean, committed before the
 * route is done with it and moved to Processed; a reply that cannot be used is moved to Quarantine by the same route.
 */
@HubTest
class UnitRepliesRouteTest {

    static final String ROUTE = "unit-replies";

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;

    final MailClient mail = MailClient.ofTestHub();
    BillingClient billing;
    String caseNo;
    MimeMessage t1;

    @BeforeEach
    void newCase() {
        billing = new BillingClient(TestPorts.BROKER_URL);
        caseNo = MailFixtures.newCase(billing, jdbc)[1];
        t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
    }

    @AfterEach
    void close() {
        billing.close();
    }

    /** The route's exchange of the mail with this Message-ID (its headers are read while the mail is fetched). */
    NotifyBuilder ofMail(String id) {
        return new NotifyBuilder(camel).fromRoute(ROUTE).filter(exchange -> id.equals(messageIdOf(exchange)));
    }

    static String messageIdOf(Exchange exchange) {
        try {
            MailMessage in = exchange.getIn(MailMessage.class);
            Message m = in != null && in.getOriginalMessage() != null ? in.getOriginalMessage() : exchange.getIn().getBody(Message.class);
            String[] ids = m == null ? null : m.getHeader("Message-ID");
            return ids == null ? null : ids[0];
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void a_reply_is_read_passed_to_the_replies_bean_committed_before_the_route_completes_and_moved_to_processed() throws Exception {
        MimeMessage answer = reply(mail, t1, PRODUCTION, UnitMailQuarantineTest.TECHNICAL);
        String id = messageId(answer);
        NotifyBuilder completed = ofMail(id).whenCompleted(1).create();

        mail.send(PRODUCTION, answer);

        assertThat(completed.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the route completed the mail").isTrue();
        // no waiting here: the reply's effect and its record are committed before the route is done with the mail
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("CLOSED");
        Map<String, Object> row = jdbc.queryForMap("select outcome, folder from unit_mail where message_id = ?", id);
        assertThat(row.get("OUTCOME")).isEqualTo("PROCESSED");
        assertThat(row.get("FOLDER")).isEqualTo("Processed");
        mail.await(HUB, "Processed", MailClient.messageId(id), WAIT);
        assertThat(mail.messages(HUB, "INBOX", MailClient.messageId(id))).as("moved out of INBOX").isEmpty();
    }

    @Test
    void a_reply_that_cannot_be_used_is_moved_to_quarantine_by_the_same_route_and_changes_nothing() throws Exception {
        MimeMessage answer = reply(mail, t1, PRODUCTION, UnitMailQuarantineTest.TECHNICAL);
        answer.setSubject("Re: 供电方案 supply scheme", "UTF-8"); // the token is gone
        answer.saveChanges();
        String id = "<" + UUID.randomUUID() + "@unit.yekuo.local>";
        answer.setHeader("Message-ID", id);
        NotifyBuilder completed = ofMail(id).whenCompleted(1).create();

        mail.send(PRODUCTION, answer);

        assertThat(completed.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the route completed the mail").isTrue();
        Map<String, Object> row = jdbc.queryForMap("select outcome, folder, reasons from unit_mail where message_id = ?", id);
        assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
        assertThat(row.get("FOLDER")).isEqualTo("Quarantine");
        assertThat((String) row.get("REASONS")).contains("\"NO_TOKEN\"");
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");
        mail.await(HUB, "Quarantine", MailClient.messageId(id), WAIT);
    }
}
