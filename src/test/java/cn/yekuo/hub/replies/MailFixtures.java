package cn.yekuo.hub.replies;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;

/** Cases and mails for the mail tests: a unit answers the way a person with a mail client would. */
public final class MailFixtures {

    public static final Duration WAIT = Duration.ofSeconds(30);
    public static final String HUB = "hub@yekuo.local";
    public static final String PRODUCTION = "production@yekuo.local";
    public static final String MARKETING = "marketing@yekuo.local";
    public static final String CONSTRUCTION = "construction@yekuo.local";
    public static final String CUSTOMER_CENTER = "customer-center@yekuo.local";
    /** The shared representatives' mailbox: notices of no case (forgery alerts, monthly summaries). */
    public static final String REPS = "reps@yekuo.local";
    /** 王敏's mailbox (yk.representatives, dongjiao and chengqu): the notices of {@link #newCase}'s cases. */
    public static final String REP = "rep@yekuo.local";
    /** 李华's mailbox (yk.representatives, xijiao). */
    public static final String REP2 = "rep2@yekuo.local";

    private MailFixtures() {
    }

    /** A new-install application through billing's queue; returns {applicationNo, caseNo} once the case exists. */
    public static String[] newCase(BillingClient billing, JdbcTemplate jdbc) {
        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        String applicationNo = app.get("applicationNo").asText();
        billing.sendApplication(app.toString());
        await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select count(*) from yk_case where application_no = ? and stage = 'SCHEME'", Integer.class, applicationNo) == 1);
        // the contact card is issued right after the intake commits (document-issuer): a test comparing the case before
        // and after a reply must not see it arrive in between
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from case_timeline t join yk_case c on c.id = t.case_id "
                + "where c.application_no = ? and t.kind = 'DOCUMENT_ISSUED'", Integer.class, applicationNo) == 1);
        String caseNo = jdbc.queryForObject("select case_no from yk_case where application_no = ?", String.class, applicationNo);
        return new String[] {applicationNo, caseNo};
    }

    /**
     * Where the quarantine notice of a mail goes (issue 17): the mailbox of its case's representative when the mail
     * named a known case, else the shared one.
     */
    public static String noticeMailbox(JdbcTemplate jdbc, String messageId) {
        String rep = jdbc.query("select c.representative_id from unit_mail m left join yk_case c on c.id = m.case_id"
                + " where m.message_id = ?", (rs, i) -> rs.getString(1), messageId).stream().filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        if (rep == null) {
            return REPS;
        }
        return switch (rep) {
            case "wangmin" -> REP;
            case "lihua" -> REP2;
            default -> throw new AssertionError("representative " + rep + " is not in the embedded default roster");
        };
    }

    public static String taskStatus(JdbcTemplate jdbc, String caseNo, int taskNo) {
        return jdbc.query("select t.status from case_task t join yk_case c on c.id = t.case_id where c.case_no = ? and t.task_no = ?",
                (rs, i) -> rs.getString(1), caseNo, taskNo).stream().findFirst().orElse(null);
    }

    public static String stage(JdbcTemplate jdbc, String caseNo) {
        return jdbc.queryForObject("select stage from yk_case where case_no = ?", String.class, caseNo);
    }

    public static MimeMessage awaitHandoff(MailClient mail, String unit, String caseNo, int taskNo) {
        return mail.await(unit, "INBOX", MailClient.subjectContains("[" + caseNo + "/T" + taskNo + "/"), WAIT);
    }

    /** A reply as a mail client makes it: "Re:" subject keeping the token, In-Reply-To, UTF-8 text, fresh Message-ID. */
    public static MimeMessage reply(MailClient mail, MimeMessage handoff, String from, String body, byte[]... attachments) {
        return cn.yekuo.hub.support.Replies.reply(handoff, from, HUB, body, attachments);
    }

    public static String event(String type, String applicationNo, String fields) {
        return "{\"type\":\"" + type + "\",\"messageId\":\"" + UUID.randomUUID() + "\",\"applicationNo\":\"" + applicationNo
                + "\"," + fields + "}";
    }

    public static void formalities(BillingClient billing, String applicationNo) {
        String at = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now());
        billing.sendEvent(event("FeesSettled", applicationNo, "\"amount\":\"12800.00\",\"paidAt\":\"" + at + "\""));
        billing.sendEvent(event("ContractSigned", applicationNo, "\"contractNo\":\"HT-2027-0042\",\"signedAt\":\"" + at + "\""));
        billing.sendEvent(event("ArrearsCleared", applicationNo, "\"customerId\":\"3301000123456\",\"clearedAt\":\"" + at + "\""));
    }

    /**
     * Sends {@code m} from {@code from} and waits until the hub has quarantined it and moved it to its Quarantine folder;
     * with {@code anyOf}, one of those reasons must be recorded. Returns the mail's id (unit_mail).
     */
    public static long quarantined(MailClient mail, JdbcTemplate jdbc, String from, MimeMessage m,
                                   cn.yekuo.hub.replies.grammar.RejectionCode... anyOf) {
        String id = messageId(m);
        mail.send(from, m);
        await().atMost(WAIT.multipliedBy(2)).until(() -> jdbc.queryForObject(
                "select count(*) from unit_mail where message_id = ?", Integer.class, id) == 1);
        java.util.Map<String, Object> row = jdbc.queryForMap("select id, outcome, reasons from unit_mail where message_id = ?", id);
        org.assertj.core.api.Assertions.assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
        if (anyOf.length > 0) {
            org.assertj.core.api.Assertions.assertThat(java.util.stream.Stream.of(anyOf)
                    .anyMatch(c -> ((String) row.get("REASONS")).contains("\"" + c.name() + "\""))).as((String) row.get("REASONS")).isTrue();
        }
        mail.await(HUB, "Quarantine", MailClient.messageId(id), WAIT);
        return ((Number) row.get("ID")).longValue();
    }

    public static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
