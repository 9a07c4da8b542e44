package cn.yekuo.hub.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * The relays run when a commit wrote rows for them, not at their next poll: with every poll a minute apart, an
 * application's status messages, its hand-off mails and its contact card still leave within a few seconds, and a
 * relay that claimed a full batch runs again at once.
 */
class RelayWakeUpTest {

    static final Duration WARM_UP = Duration.ofSeconds(30);
    static final Duration PROMPT = Duration.ofSeconds(2);
    static final String PRODUCTION = "production@yekuo.local";

    @Test
    void a_commit_wakes_the_status_relay_the_mail_relay_and_the_document_issuer() {
        int broker = RunningHub.freePort();
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        Map<String, Object> slowPolls = Map.of(
                "yk.outbox.poll-millis", "60000",
                // the intake commits its three status rows at once: with batches of one, the relay must drain them
                // by running again after each full batch, not by waiting for its poll
                "yk.outbox.batch-size", "1",
                "yk.mail.relay-interval", "60s",
                "yk.documents.issuer-millis", "60000",
                "yk.mail.smtp-port", String.valueOf(smtp),
                "yk.mail.imap-port", String.valueOf(imap));
        try (RunningHub hub = RunningHub.start(RunningHub.newDataDir("relay-wake-up"), broker, slowPolls);
             BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            MailClient mail = new MailClient(smtp, imap);
            // the first application after start pays for class loading, fonts and connections; the relays' first
            // polls (half a second after start) are behind us once it is through
            String[] first = submit(billing, hub.jdbc());
            assertThat(billing.awaitStatus(first[0], 3, WARM_UP)).hasSize(3);
            mail.await(PRODUCTION, "INBOX", MailClient.subjectContains("[" + first[1] + "/T1/"), WARM_UP);
            await().atMost(WARM_UP).until(() -> documents(hub.jdbc(), first[1]) == 1);

            String[] second = submit(billing, hub.jdbc());
            List<JsonNode> status = billing.awaitStatus(second[0], 3, PROMPT);
            assertThat(status).extracting(m -> m.get("stage").asText()).containsExactly("RECEIVED", "ACCEPTED", "SCHEME");
            mail.await(PRODUCTION, "INBOX", MailClient.subjectContains("[" + second[1] + "/T1/"), PROMPT);
            await().atMost(PROMPT).until(() -> documents(hub.jdbc(), second[1]) == 1);
            // the contact card's customer mail too: nothing is left for the poll
            await().atMost(PROMPT).until(() -> hub.jdbc().queryForObject(
                    "select count(*) from outbox where sent_at is null", Integer.class) == 0);
        }
    }

    /** A new-install application; returns {applicationNo, caseNo} once the case exists. */
    private static String[] submit(BillingClient billing, JdbcTemplate jdbc) {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        await().atMost(WARM_UP).until(() -> jdbc.queryForObject(
                "select count(*) from yk_case where application_no = ?", Integer.class, applicationNo) == 1);
        return new String[] {applicationNo, jdbc.queryForObject("select case_no from yk_case where application_no = ?",
                String.class, applicationNo)};
    }

    private static int documents(JdbcTemplate jdbc, String caseNo) {
        return jdbc.queryForObject("select count(*) from case_document d join yk_case c on c.id = d.case_id "
                + "where c.case_no = ? and d.type = 'CONTACT_CARD'", Integer.class, caseNo);
    }
}
