package cn.yekuo.hub.replies;

import cn.yekuo.hub.quarantine.UnitMailQuarantineTest;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * A hub of its own whose read budget no mail can meet (1 ns): a reading that runs past the budget is a failed attempt
 * like any other, so one slow reading (a busy machine) does not quarantine a genuine reply; only when the attempts
 * (yk.mail.max-attempts, 3) are used up is the mail quarantined READ_TIMEOUT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadTimeoutAttemptsTest {

    RunningHub hub;
    MailClient mail;
    JdbcTemplate jdbc;
    int broker;

    @BeforeAll
    void start() {
        broker = RunningHub.freePort();
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("yk.mail.smtp-port", String.valueOf(smtp));
        props.put("yk.mail.imap-port", String.valueOf(imap));
        props.put("yk.mail.poll-interval", "300ms");
        props.put("yk.mail.relay-interval", "200ms");
        props.put("yk.mail.read-budget", "1ns");
        hub = RunningHub.start(RunningHub.newDataDir("read-timeout"), broker, props);
        mail = new MailClient(smtp, imap);
        jdbc = hub.jdbc();
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aReadingPastTheBudgetIsAnAttemptAndTheMailIsQuarantinedOnlyWhenTheAttemptsAreUsedUp() {
        String caseNo;
        try (BillingClient billing = new BillingClient("tcp://127.0.0.1:" + broker)) {
            caseNo = MailFixtures.newCase(billing, jdbc)[1];
        }
        MimeMessage reply = reply(mail, awaitHandoff(mail, PRODUCTION, caseNo, 1), PRODUCTION, UnitMailQuarantineTest.TECHNICAL);
        String id = MailFixtures.messageId(reply);
        mail.send(PRODUCTION, reply);

        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, id) == 1);
        Map<String, Object> row = jdbc.queryForMap("select mail_key, outcome, reasons from unit_mail where message_id = ?", id);
        assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
        // 3 attempts; 2 when a loaded machine is still in the second reading at the third poll (then it stops at once)
        assertThat((String) row.get("REASONS")).contains("\"READ_TIMEOUT\"").containsPattern("\\([23] attempts\\)");
        assertThat(jdbc.queryForObject("select count(*) from unit_mail_attempt where mail_key = ?", Integer.class,
                row.get("MAIL_KEY"))).as("the attempts are forgotten once it is quarantined").isZero();
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");
    }
}
