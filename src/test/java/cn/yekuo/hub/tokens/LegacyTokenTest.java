package cn.yekuo.hub.tokens;

import cn.yekuo.hub.quarantine.UnitMailQuarantineTest;
import cn.yekuo.hub.replies.MailFixtures;
import cn.yekuo.hub.replies.NewCaseWithHandoff;
import cn.yekuo.hub.replies.RawMail;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;

/**
 * Old 6-hex-digit tokens (docs/contract.md §2) on the shared hub: good only for a task opened before the cut-over
 * recorded in {@code token_cutover}; for any newer task a 6-hex token is a 24-bit guess, refused and counted as forged.
 * The test hub's database is new, so every task here is newer than the cut-over unless a test moves the cut-over.
 */
@HubTest
class LegacyTokenTest extends NewCaseWithHandoff {

    static final String TECHNICAL = UnitMailQuarantineTest.TECHNICAL;

    @Autowired
    HandoffToken tokens;

    @Test
    void aSixHexTokenForATaskOpenedAfterTheCutOverIsRefusedAsForgedAndTheRealReplyStillWorks() throws Exception {
        assertThat(jdbc.queryForObject("select last_task_id from token_cutover", Long.class)).isLessThan(taskId(caseNo, 1));
        MimeMessage legacy = withSubject(reply(mail, t1, PRODUCTION, TECHNICAL), "Re: " + legacyToken(caseNo, 1) + " 供电方案");
        String id = MailFixtures.messageId(legacy);
        mail.send(PRODUCTION, legacy);

        Map<String, Object> row = awaitRow(id);
        assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
        assertThat((String) row.get("REASONS")).contains("\"FORGED_TOKEN\"", "6 hex digits");
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");

        mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
    }

    @Test
    void sixHexTokensForNewTasksCountTowardTheForgedTokenAlert() {
        String guesser = "guess-" + UUID.randomUUID().toString().substring(0, 8) + "@evil.example";
        String[] ids = new String[3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "<" + UUID.randomUUID() + "@evil.example>";
            mail.sendRaw(PRODUCTION, RawMail.headers("""
                    From: %s
                    To: hub@yekuo.local
                    Subject: Re: %s
                    Message-ID: %s
                    MIME-Version: 1.0
                    Content-Type: text/plain; charset=UTF-8
                    Content-Transfer-Encoding: 8bit
                    """.formatted(guesser, legacyToken(caseNo, 1), ids[i])).text(TECHNICAL, java.nio.charset.StandardCharsets.UTF_8).bytes());
        }
        for (String id : ids) {
            assertThat((String) awaitRow(id).get("REASONS")).contains("\"FORGED_TOKEN\"");
        }
        mail.await(REPS, "INBOX", MailClient.subjectContains(guesser), WAIT);
        assertThat(jdbc.queryForObject("select count(*) from unit_mail_alert where sender = ?", Integer.class, guesser)).isOne();
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");
    }

    @Test
    void aSixHexTokenForATaskOpenedBeforeTheCutOverIsAcceptedWhileTheTaskIsOpen() throws Exception {
        long before = jdbc.queryForObject("select last_task_id from token_cutover", Long.class);
        // as if the hub had been upgraded right after T1 was handed off with a 6-hex token
        jdbc.update("update token_cutover set last_task_id = ?", taskId(caseNo, 1));
        try {
            String subject = "Re: " + legacyToken(caseNo, 1) + " 供电方案";
            MimeMessage first = withSubject(reply(mail, t1, PRODUCTION, TECHNICAL), subject);
            mail.send(PRODUCTION, first);
            await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
            assertThat(awaitRow(MailFixtures.messageId(first)).get("OUTCOME")).isEqualTo("PROCESSED");

            MimeMessage again = withSubject(reply(mail, t1, PRODUCTION, TECHNICAL), subject);
            mail.send(PRODUCTION, again);
            assertThat((String) awaitRow(MailFixtures.messageId(again)).get("REASONS")).contains("\"TASK_CLOSED\"");
        } finally {
            jdbc.update("update token_cutover set last_task_id = ?", before);
        }
    }

    /** The token of the task as written before tokens grew: the first 6 of its 12 hex digits. */
    private String legacyToken(String caseNo, int taskNo) {
        String token = tokens.tokenFor(caseNo, taskNo);
        return token.substring(0, token.length() - 7) + "]";
    }

    private long taskId(String caseNo, int taskNo) {
        return jdbc.queryForObject("select t.id from case_task t join yk_case c on c.id = t.case_id where c.case_no = ? and t.task_no = ?",
                Long.class, caseNo, taskNo);
    }

    private static MimeMessage withSubject(MimeMessage m, String subject) throws Exception {
        String id = m.getMessageID();
        m.setSubject(subject, "UTF-8");
        m.saveChanges();
        m.setHeader("Message-ID", id);
        return m;
    }

    private Map<String, Object> awaitRow(String messageId) {
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, messageId) == 1);
        return jdbc.queryForMap("select outcome, reasons from unit_mail where message_id = ?", messageId);
    }
}
