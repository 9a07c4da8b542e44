package cn.yekuo.hub.replies;

import cn.yekuo.hub.quarantine.UnitMailQuarantineTest;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.messageId;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;

/**
 * Every field of a reply fits or the reply is quarantined (issue 15): a 10,000-character note is applied and kept whole
 * on the task, the case's state and its timeline; a field over its limit (docs/contract.md §2.3) is a quarantine reason,
 * never a database error that leaves the mail in the INBOX.
 */
@HubTest
class ReplyFieldLengthTest extends NewCaseWithHandoff {

    static final String TECHNICAL = UnitMailQuarantineTest.TECHNICAL;


    @Test
    void a_note_of_ten_thousand_characters_is_applied_and_kept_whole() {
        String note = "需新建电缆".repeat(1999) + "到此为止。"; // 10,000 characters, past the old 2,000 of the timeline
        assertThat(note).hasSize(10_000);
        mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL + "说明：" + note + "\n"));
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));

        assertThat(jdbc.queryForObject("select t.fields from case_task t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.task_no = 1", String.class, caseNo)).as("the task's fields").contains(note);
        assertThat(jdbc.queryForObject("select state_json from yk_case where case_no = ?", String.class, caseNo))
                .as("the case's state").contains(note);
        List<String> summaries = jdbc.queryForList("select t.summary from case_timeline t join yk_case c on c.id = t.case_id "
                + "where c.case_no = ? and t.kind = 'TASK_REPLY'", String.class, caseNo);
        assertThat(summaries).as("the timeline, not cut").singleElement().asString().contains(note);
        assertThat(jdbc.queryForObject("select outcome from unit_mail where case_no = ? and task_no = 1", String.class, caseNo))
                .isEqualTo(UnitReplies.PROCESSED);
    }

    @Test
    void a_note_over_its_limit_is_quarantined_with_the_reason_and_changes_nothing() {
        String note = "长".repeat(ReplyValidator.MAX_CHARS.get(ReplyKey.NOTE) + 1);
        quarantinedTooLong(reply(mail, t1, PRODUCTION, TECHNICAL + "说明：" + note + "\n"), "NOTE has 20001 characters");
    }

    @Test
    void a_scheme_field_over_its_limit_is_quarantined_with_the_reason_and_changes_nothing() {
        String source = "110kV东郊变".repeat(70); // 560 characters, over 500
        quarantinedTooLong(reply(mail, t1, PRODUCTION, TECHNICAL.replace("110kV东郊变 10kV 912东园线", source)),
                "SOURCE has 560 characters");
    }

    private void quarantinedTooLong(MimeMessage m, String why) {
        String state = jdbc.queryForObject("select state_json from yk_case where case_no = ?", String.class, caseNo);
        String id = messageId(m);
        mail.send(PRODUCTION, m);
        mail.await(HUB, "Quarantine", MailClient.messageId(id), WAIT);
        Map<String, Object> row = jdbc.queryForMap("select outcome, reasons from unit_mail where message_id = ?", id);
        assertThat(row.get("OUTCOME")).isEqualTo(UnitReplies.QUARANTINED);
        assertThat((String) row.get("REASONS")).contains("\"FIELD_TOO_LONG\"", why);
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");
        assertThat(jdbc.queryForObject("select state_json from yk_case where case_no = ?", String.class, caseNo))
                .as("the case is unchanged").isEqualTo(state);
        MimeMessage notice = mail.await(MailFixtures.noticeMailbox(jdbc, id), "INBOX", MailClient.textContains(id), WAIT);
        assertThat(MailClient.textOf(notice)).contains("[FIELD_TOO_LONG]", why);
    }
}
