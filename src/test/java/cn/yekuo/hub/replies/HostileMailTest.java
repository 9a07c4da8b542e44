package cn.yekuo.hub.replies;

import cn.yekuo.hub.quarantine.QuarantineNotices;
import cn.yekuo.hub.quarantine.UnitMailQuarantineTest;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.tokens.HandoffToken;
import static cn.yekuo.hub.replies.MailFixtures.HUB;
import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.REPS;
import static cn.yekuo.hub.replies.MailFixtures.WAIT;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;
import static cn.yekuo.hub.replies.MailFixtures.reply;
import static cn.yekuo.hub.replies.MailFixtures.taskStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.MailClient;

/**
 * Hostile mail (issue 15): each one ends in Quarantine with its reason within a poll or two, and a genuine reply sent
 * right after it is applied at once (the reply reader polls every 300 ms here; before these defences a comment bomb
 * held it for minutes). The case the hostile mail names is left as it was.
 */
@HubTest
class HostileMailTest extends NewCaseWithHandoff {

    /** A genuine reply sent right after a hostile one is applied within this (a few polls of 300 ms, with slack). */
    static final Duration PROMPT = Duration.ofSeconds(8);
    static final String TECHNICAL = UnitMailQuarantineTest.TECHNICAL;

    @org.springframework.beans.factory.annotation.Value("${yk.data-dir-absolute}")
    String dataDirectory;

    @Autowired
    HandoffToken tokens;
    @Autowired
    ReceivedMails receivedMails;

    @Test
    void commentBombInHtml() {
        String bomb = "<html><body>" + "<!--\n".repeat(150_000) + "<div>结论：同意</div></body></html>";
        byte[] raw = RawMail.headers(headers(PRODUCTION, "Re: " + tokens.tokenFor(caseNo, 1), "text/html; charset=UTF-8", "8bit"))
                .text(bomb, StandardCharsets.UTF_8).bytes();
        hostileThenGenuine(raw, RejectionCode.EMPTY_BODY);
    }

    @Test
    void commentBombInBase64GbkHtml() {
        String bomb = "<html><head><meta charset=gbk></head><body><div>结论：同意</div>" + "<!-- 原始邮件\n".repeat(30_000);
        byte[] raw = RawMail.headers(headers(PRODUCTION, gbkWord("回复：" + tokens.tokenFor(caseNo, 1) + " 供电方案"),
                "text/html; charset=\"GBK\"", "base64")).base64(bomb.getBytes(RawMail.GBK)).bytes();
        // the open comment hides the rest; what is before it is read: APPROVED without the scheme's fields
        hostileThenGenuine(raw, RejectionCode.MISSING_FIELD);
    }

    @Test
    void subjectOfAMegabyte() {
        String huge = "Re: " + tokens.tokenFor(caseNo, 1) + " " + "长".repeat(350_000);
        byte[] raw = RawMail.headers(headers(PRODUCTION, RawMail.utf8Subject(huge), "text/plain; charset=UTF-8", "8bit"))
                .text(TECHNICAL, StandardCharsets.UTF_8).bytes();
        String id = hostileThenGenuine(raw, RejectionCode.SUBJECT_TOO_LONG);
        String key = (String) awaitRow(id).get("MAIL_KEY");
        assertThat(jdbc.queryForObject("select length(payload) from outbox where message_id = ?", Integer.class,
                QuarantineNotices.outboxIdOf(key))).as("the notice quotes the subject's start only").isLessThan(16_000);
    }

    @Test
    void subjectOfAMegabyteInGbk() {
        String huge = "回复：" + tokens.tokenFor(caseNo, 1) + " " + "供".repeat(100_000);
        StringBuilder folded = new StringBuilder();
        byte[] bytes = huge.getBytes(RawMail.GBK);
        for (int i = 0; i < bytes.length; i += 45) {
            folded.append(i == 0 ? "" : "\n ").append(RawMail.bWord("GBK",
                    java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 45))));
        }
        byte[] raw = RawMail.headers(headers(PRODUCTION, folded.toString(), "text/plain; charset=GBK", "8bit"))
                .text(TECHNICAL, RawMail.GBK).bytes();
        hostileThenGenuine(raw, RejectionCode.SUBJECT_TOO_LONG);
    }

    @Test
    void hundredsOfTagsForOneTaskWithOneRight() {
        StringBuilder subject = new StringBuilder("Re: ");
        for (int i = 0; i < 60; i++) {
            subject.append('[').append(caseNo).append("/T1/").append(String.format("%012x", i)).append(']');
        }
        subject.append(tokens.tokenFor(caseNo, 1));
        byte[] raw = RawMail.headers(headers(PRODUCTION, subject.toString(), "text/plain; charset=UTF-8", "8bit"))
                .text(TECHNICAL, StandardCharsets.UTF_8).bytes();
        hostileThenGenuine(raw, RejectionCode.SEVERAL_TOKENS);
    }

    @Test
    void forgedSender() {
        byte[] raw = RawMail.headers(headers("zhang.gong@evil.example", "Re: " + tokens.tokenFor(caseNo, 1),
                "text/plain; charset=UTF-8", "8bit")).text(TECHNICAL, StandardCharsets.UTF_8).bytes();
        hostileThenGenuine(raw, RejectionCode.SENDER_NOT_ALLOWED);
    }

    @Test
    void aResultFollowedByHalfAMillionDots() {
        String body = "结论: APPROVED" + ".".repeat(500_000) + "x\n";
        byte[] raw = RawMail.headers(headers(PRODUCTION, "Re: " + tokens.tokenFor(caseNo, 1), "text/plain; charset=UTF-8", "base64"))
                .base64(body.getBytes(StandardCharsets.UTF_8)).bytes();
        String id = hostileThenGenuine(raw, RejectionCode.UNKNOWN_RESULT);
        assertThat((String) awaitRow(id).get("REASONS")).doesNotContain("READ_TIMEOUT").hasSizeLessThan(2000);
    }

    /**
     * No padding in the innermost part: the embedded mail server (GreenMail's StoredMessage) parses the whole
     * structure when it hands a message out, in time growing with depth × size: 1.2 s for these 65 KB, 6-9 s with
     * 600 KB of padding on an idle CI machine, over the hub's 10 s IMAP timeout when loaded. The bound is the hub's.
     */
    @Test
    void aThousandNestedMultiparts() {
        byte[] raw = RawMail.headers(headers(PRODUCTION, "Re: " + tokens.tokenFor(caseNo, 1), "multipart/mixed; boundary=\"b0\"",
                "8bit")).text(HostileMailReadingTest.nestedMultiparts(1000, TECHNICAL), StandardCharsets.UTF_8).bytes();
        hostileThenGenuine(raw, RejectionCode.MIME_TOO_COMPLEX);
    }

    @Test
    void aGenuineReplyWithAnAttachmentNamedInAHundredChineseCharactersIsAppliedAndTheFileKept() throws Exception {
        byte[] drawing = "%PDF-1.4 供电方案附图".getBytes(StandardCharsets.UTF_8);
        MimeMessage m = reply(mail, t1, PRODUCTION, TECHNICAL, drawing);
        String name = "供电方案技术部分附图说明".repeat(9) + "一.pdf"; // 100 characters, 300 bytes in UTF-8
        ((jakarta.mail.internet.MimeBodyPart) ((jakarta.mail.internet.MimeMultipart) m.getContent()).getBodyPart(1)).setFileName(name);
        String id = m.getMessageID();
        m.saveChanges();
        m.setHeader("Message-ID", id);
        mail.send(PRODUCTION, m);

        await().atMost(PROMPT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        assertThat(awaitRow(id).get("OUTCOME")).isEqualTo("PROCESSED");
        long caseId = jdbc.queryForObject("select id from yk_case where case_no = ?", Long.class, caseNo);
        List<ReceivedMails.StoredAttachment> kept = receivedMails.attachmentsOf(caseId);
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).fileName()).as("the whole name in the database").isEqualTo(name);
        assertThat(receivedMails.readAttachment(kept.get(0).id())).isEqualTo(drawing);
        try (var files = Files.list(java.nio.file.Path.of(dataDirectory).resolve(kept.get(0).path()).getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temp file left").noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    @Test
    void poisonMailIsTriedAFewTimesThenQuarantinedAndDoesNotHoldUpTheNextReply() {
        // a second case whose stored state cannot be read: every attempt at applying a reply to it fails
        String poisoned = MailFixtures.newCase(billing, jdbc)[1];
        MimeMessage p1 = awaitHandoff(mail, PRODUCTION, poisoned, 1);
        String state = jdbc.queryForObject("select state_json from yk_case where case_no = ?", String.class, poisoned);
        jdbc.update("update yk_case set state_json = ? where case_no = ?", "{\"stage\": ", poisoned);
        try {
            MimeMessage poison = reply(mail, p1, PRODUCTION, TECHNICAL);
            String id = MailFixtures.messageId(poison);
            mail.send(PRODUCTION, poison);
            mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL));

            await().atMost(PROMPT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
            Map<String, Object> row = awaitRow(id);
            assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
            assertThat((String) row.get("REASONS")).contains("\"PROCESSING_FAILED\"", "3");
            assertThat(jdbc.queryForObject("select count(*) from unit_mail_attempt where mail_key = ?", Integer.class,
                    row.get("MAIL_KEY"))).as("the attempts are forgotten once it is quarantined").isZero();
            MimeMessage notice = mail.await(MailFixtures.noticeMailbox(jdbc, id), "INBOX", MailClient.textContains(id), WAIT);
            assertThat(MailClient.textOf(notice)).contains("[PROCESSING_FAILED]");
            awaitInFolder(mail, "Quarantine", id);
            assertThat(taskStatus(jdbc, poisoned, 1)).isEqualTo("OPEN");
        } finally {
            jdbc.update("update yk_case set state_json = ? where case_no = ?", state, poisoned);
        }
    }

    @Test
    void repeatedForgedTokensFromOneSenderRaiseOneAlert() {
        String guesser = "guess-" + UUID.randomUUID().toString().substring(0, 8) + "@evil.example";
        String token = tokens.tokenFor(caseNo, 1);
        String[] ids = new String[4];
        for (int i = 0; i < ids.length; i++) {
            String forged = token.substring(0, token.length() - 13) + String.format("%012x", i) + "]";
            ids[i] = "<" + UUID.randomUUID() + "@evil.example>";
            mail.sendRaw(PRODUCTION, RawMail.headers(headers(guesser, "Re: " + forged, "text/plain; charset=UTF-8", "8bit")
                    .replaceFirst("Message-ID: <[^>]+>", "Message-ID: " + ids[i])).text(TECHNICAL, StandardCharsets.UTF_8).bytes());
        }
        for (String id : ids) {
            assertThat((String) awaitRow(id).get("REASONS")).contains("\"FORGED_TOKEN\"");
        }
        mail.await(REPS, "INBOX", MailClient.subjectContains(guesser), WAIT);
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from outbox where channel = 'mail' and sent_at is null and dead_at is null",
                Integer.class) == 0);
        assertThat(mail.messages(REPS, "INBOX", MailClient.subjectContains(guesser))).as("one alert, not one per mail").hasSize(1);
        long notices = java.util.Arrays.stream(ids).filter(id -> !mail.messages(REPS, "INBOX", MailClient.textContains(id)).isEmpty())
                .count();
        assertThat(notices).as("a notice for each mail before the alert (threshold 3), none from the alert on").isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from unit_mail_alert where sender = ?", Integer.class, guesser)).isOne();
        assertThat(taskStatus(jdbc, caseNo, 1)).isEqualTo("OPEN");
    }

    @Test
    void withTheAuthenticationCheckOffAFailedSpfDoesNotMatter() throws Exception {
        MimeMessage m = reply(mail, t1, PRODUCTION, TECHNICAL);
        String id = m.getMessageID();
        m.addHeader("Authentication-Results", "mx.yekuo.local; spf=fail smtp.mailfrom=production@yekuo.local; dmarc=fail");
        m.setHeader("Message-ID", id);
        mail.send(PRODUCTION, m);
        await().atMost(WAIT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        assertThat(awaitRow(id).get("OUTCOME")).isEqualTo("PROCESSED");
    }

    // ------------------------------------------------------------------

    /** Sends the hostile mail, then a genuine reply to T1: the reply is applied promptly, the hostile mail quarantined. */
    private String hostileThenGenuine(byte[] raw, RejectionCode code) {
        String id = MailFixtures.messageId(RawMail.parse(raw));
        mail.sendRaw(PRODUCTION, raw);
        mail.send(PRODUCTION, reply(mail, t1, PRODUCTION, TECHNICAL));
        await().atMost(PROMPT).until(() -> "CLOSED".equals(taskStatus(jdbc, caseNo, 1)));
        Map<String, Object> row = awaitRow(id);
        assertThat(row.get("OUTCOME")).isEqualTo("QUARANTINED");
        assertThat((String) row.get("REASONS")).contains("\"" + code.name() + "\"");
        awaitInFolder(mail, "Quarantine", id);
        assertThat(mail.messages(HUB, "INBOX", headerIs(id))).as("moved out of INBOX").isEmpty();
        return id;
    }

    /** Waits until the hub's folder holds the mail, reading headers only (a large mail is not downloaded). */
    static void awaitInFolder(MailClient mail, String folder, String messageId) {
        java.util.concurrent.atomic.AtomicBoolean found = new java.util.concurrent.atomic.AtomicBoolean();
        await().atMost(WAIT).until(() -> {
            mail.messages(HUB, folder, m -> {
                if (headerIs(messageId).test(m)) {
                    found.set(true);
                }
                return false;
            });
            return found.get();
        });
    }

    /** The mail's Message-ID is this one; never copies the mail. */
    static java.util.function.Predicate<MimeMessage> headerIs(String messageId) {
        return m -> {
            try {
                return messageId.equals(m.getMessageID());
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        };
    }

    private Map<String, Object> awaitRow(String messageId) {
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from unit_mail where message_id = ?",
                Integer.class, messageId) == 1);
        return jdbc.queryForMap("select mail_key, outcome, folder, reasons, raw_size, raw_path from unit_mail where message_id = ?",
                messageId);
    }

    private static String headers(String from, String subject, String contentType, String encoding) {
        return """
                From: %s
                To: hub@yekuo.local
                Subject: %s
                Message-ID: <%s@hostile.example>
                MIME-Version: 1.0
                Content-Type: %s
                Content-Transfer-Encoding: %s
                """.formatted(from, subject, UUID.randomUUID(), contentType, encoding);
    }

    private static String gbkWord(String text) {
        return "=?GBK?B?" + Base64.getEncoder().encodeToString(text.getBytes(RawMail.GBK)) + "?=";
    }
}
