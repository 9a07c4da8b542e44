package cn.yekuo.hub.quarantine;

import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.replies.grammar.RejectionCode;
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
import java.util.Map;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.MessageIDTerm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.TestPorts;

/**
 * A representative releases a quarantined reply after checking it ({@code POST /api/cases/{caseNo}/actions/release-reply}):
 * the sender allow-list is waived, the content is not; a released mail is not released twice and ends in Processed.
 */
@HubTest
class ReplyReleaseTest {

    static final String TECHNICAL = UnitMailQuarantineTest.TECHNICAL;
    static final String BUSINESS = UnitMailQuarantineTest.BUSINESS;

    final MailClient mail = MailClient.ofTestHub();
    BillingClient billing;
    String caseNo;
    MimeMessage t1;
    MimeMessage t2;

    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    @BeforeEach
    void newCase() {
        billing = new BillingClient(TestPorts.BROKER_URL);
        caseNo = MailFixtures.newCase(billing, jdbc)[1];
        t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
        t2 = awaitHandoff(mail, MARKETING, caseNo, 2);
    }

    @AfterEach
    void close() {
        billing.close();
    }

    @Test
    void a_reply_quarantined_because_of_its_sender_is_released_by_a_representative_advances_the_case_and_ends_in_processed() {
        mail.send(MARKETING, reply(mail, t2, MARKETING, BUSINESS));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 2)));
        MimeMessage wrongSender = reply(mail, t1, MARKETING, TECHNICAL); // marketing answers production's task
        long mailId = MailFixtures.quarantined(mail, jdbc, MARKETING, wrongSender, RejectionCode.SENDER_NOT_ALLOWED);
        assertThat(stage(jdbc, caseNo)).isEqualTo("SCHEME");

        HttpResponse<String> released = release(caseNo, mailId, "rep");
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(released.body()).contains("released by rep", "moved");

        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("CLOSED");
        assertThat(stage(jdbc, caseNo)).as("both scheme tasks answered: the case moves on").isNotEqualTo("SCHEME");
        assertThat(jdbc.queryForObject("select t.fields from case_task t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.task_no = 1", String.class, caseNo)).contains("110kV东郊变 10kV 912东园线");
        Map<String, Object> row = jdbc.queryForMap("select outcome, folder from unit_mail where id = ?", mailId);
        assertThat(row.get("OUTCOME")).isEqualTo("RELEASED");
        assertThat(row.get("FOLDER")).isEqualTo("Processed");
        assertThat(jdbc.queryForList("select t.summary from case_timeline t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.kind = 'REPLY_RELEASED'", String.class, caseNo))
                .singleElement().asString().contains("released by rep");

        String id = messageId(wrongSender);
        mail.await(HUB, "Processed", MailClient.messageId(id), WAIT);
        assertThat(mail.messages(HUB, "Quarantine", MailClient.messageId(id))).as("moved out of Quarantine").isEmpty();

        HttpResponse<String> again = release(caseNo, mailId, "rep");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already released");
    }

    @Test
    void a_released_reply_whose_message_is_already_flagged_deleted_is_applied_but_not_moved_and_the_timeline_says_so()
            throws Exception {
        MimeMessage wrongSender = reply(mail, t1, MARKETING, TECHNICAL);
        long mailId = MailFixtures.quarantined(mail, jdbc, MARKETING, wrongSender, RejectionCode.SENDER_NOT_ALLOWED);
        String id = messageId(wrongSender);
        try (Store store = mail.session().getStore("imap")) {
            store.connect(HUB, HUB);
            Folder quarantine = store.getFolder("Quarantine");
            quarantine.open(Folder.READ_WRITE);
            Message[] found = quarantine.search(new MessageIDTerm(id));
            assertThat(found).hasSize(1);
            quarantine.setFlags(found, new Flags(Flags.Flag.DELETED), true);
            quarantine.close(false); // flagged, not expunged: someone is deleting it in a mail client
        }

        HttpResponse<String> released = release(caseNo, mailId, "rep");

        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(released.body()).contains("released by rep", "could not be moved");
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("CLOSED");
        assertThat(jdbc.queryForObject("select folder from unit_mail where id = ?", String.class, mailId)).isEqualTo("Quarantine");
        assertThat(jdbc.queryForList("select t.kind from case_timeline t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ?", String.class, caseNo)).contains("RELEASED_MAIL_NOT_MOVED");
        assertThat(mail.messages(HUB, "Processed", MailClient.messageId(id))).as("a message on its way out is not moved").isEmpty();
    }

    @Test
    void a_quarantined_reply_missing_a_required_field_cannot_be_released_and_the_answer_names_the_field() {
        long mailId = MailFixtures.quarantined(mail, jdbc, MARKETING, reply(mail, t2, MARKETING, BUSINESS.replace("业务费用：12800.00\n", "")),
                RejectionCode.MISSING_FIELD);

        HttpResponse<String> refused = release(caseNo, mailId, "rep");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("MISSING_FIELD", "FEES");
        assertThat(taskStatus(jdbc, caseNo, 2)).isEqualTo("OPEN");
        assertThat(jdbc.queryForObject("select outcome from unit_mail where id = ?", String.class, mailId)).isEqualTo("QUARANTINED");
    }

    @Test
    void a_reply_whose_task_closed_meanwhile_cannot_be_released() {
        long mailId = MailFixtures.quarantined(mail, jdbc, MARKETING, reply(mail, t1, MARKETING, TECHNICAL), RejectionCode.SENDER_NOT_ALLOWED);
        mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));

        HttpResponse<String> refused = release(caseNo, mailId, "rep");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("TASK_CLOSED");
    }

    @Test
    void a_viewer_may_not_release_and_a_mail_of_another_case_is_not_found() {
        long mailId = MailFixtures.quarantined(mail, jdbc, MARKETING, reply(mail, t1, MARKETING, TECHNICAL), RejectionCode.SENDER_NOT_ALLOWED);

        assertThat(release(caseNo, mailId, "viewer").statusCode()).isEqualTo(403);
        String other = MailFixtures.newCase(billing, jdbc)[1];
        assertThat(release(other, mailId, "rep").statusCode()).isEqualTo(404);
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");
        assertThat(jdbc.queryForObject("select outcome from unit_mail where id = ?", String.class, mailId)).isEqualTo("QUARANTINED");
    }

    // ------------------------------------------------------------------

    /** Sends the mail, waits until it is quarantined for the code and lies in Quarantine; returns its unit_mail id. */

    private HttpResponse<String> release(String caseNo, long mailId, String user) {
        return new RepClient(port, user, user).post("/api/cases/" + caseNo + "/actions/release-reply", "{\"mailId\":" + mailId + "}");
    }
}
